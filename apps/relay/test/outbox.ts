import { queryDatabase } from '@carthub/persistence/testing';

export interface OutboxCounts {
  readonly published: number;
  readonly unpublished: number;
}

/** How many outbox events the relay has marked sent, and how many wait. */
export async function outboxCounts(databaseUrl: string): Promise<OutboxCounts> {
  const [counts] = await queryDatabase<{ published: number; unpublished: number }>(
    databaseUrl,
    `select count(*) filter (where published_at is not null)::int as published,
            count(*) filter (where published_at is null)::int as unpublished from outbox_events`,
  );
  return counts;
}
