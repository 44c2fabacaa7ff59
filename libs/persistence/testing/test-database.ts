import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/** Set by the global setup: a migrated database that every test file copies. */
export const TEMPLATE_URL_ENV = 'CARTHUB_TEST_TEMPLATE_URL';

export interface TestDatabase {
  readonly url: string;
  drop(): Promise<void>;
}

/**
 * A fresh, fully migrated database of its own for one test file, copied from
 * the template the global setup built. Names always start with carthub_test_,
 * so a test can never touch a database it did not create.
 */
export function createTestDatabase(): Promise<TestDatabase> {
  const templateUrl = templateDatabaseUrl();
  return createDatabase(templateUrl, new URL(templateUrl).pathname.slice(1));
}

/** A fresh database with no tables at all, on the same server: for testing migrations themselves. */
export function createEmptyDatabase(): Promise<TestDatabase> {
  return createDatabase(templateDatabaseUrl(), 'template0');
}

function templateDatabaseUrl(): string {
  const url = process.env[TEMPLATE_URL_ENV];
  if (!url) throw new Error(`${TEMPLATE_URL_ENV} is not set: run this test through its project's Jest config`);
  return url;
}

async function createDatabase(serverUrl: string, template: string): Promise<TestDatabase> {
  const name = `carthub_test_${randomBytes(6).toString('hex')}`;
  await withAdminClient(serverUrl, (admin) =>
    retryWhileTemplateBusy(() => admin.query(`create database "${name}" template "${template}"`)),
  );
  return {
    url: databaseUrl(serverUrl, name),
    drop: async () => {
      await withAdminClient(serverUrl, (admin) => admin.query(`drop database if exists "${name}" with (force)`));
    },
  };
}

export function databaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

export async function withAdminClient<T>(serverUrl: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: databaseUrl(serverUrl, 'postgres') });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function retryWhileTemplateBusy<T>(create: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await create();
    } catch (error) {
      // 55006: another CREATE DATABASE is copying the same template at this moment.
      if ((error as { code?: string }).code !== '55006' || attempt === 20) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
    }
  }
}

/** One query on its own short-lived connection, for arranging and inspecting data in tests. */
export async function queryDatabase<T extends object = Record<string, unknown>>(
  url: string,
  text: string,
  values: unknown[] = [],
): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

/** How many orders a customer has, read from the table itself rather than through the API. */
export async function countOrders(url: string, customerId: string): Promise<number> {
  const [{ n }] = await queryDatabase<{ n: number }>(
    url,
    'select count(*)::int as n from orders where customer_id = $1',
    [customerId],
  );
  return n;
}
