import { CartTtls } from '@carthub/domain';
import { serializeEvent } from '@carthub/http';
import {
  cleanupExpiredCarts,
  cleanupExpiredKeys,
  cleanupPublishedEvents,
  cleanupUnpaidOrders,
  createMigration,
  DatabaseSettings,
  entitiesDifferFromSchema,
  migrateDatabase,
  MigrationProgress,
  migrationStatus,
  revertMigrations,
} from '@carthub/persistence';

export const EXIT = { ok: 0, failed: 1, usage: 2, pending: 3 } as const;

export type Log = (line: string) => void;

export interface CommandOptions {
  to?: string;
  dir?: string;
  name?: string;
  /** Published outbox events older than this are deleted by cleanup (OUTBOX_RETENTION_HOURS). */
  outboxRetentionHours: number;
  /** Carts past these are emptied by cleanup (CART_TTL_SECONDS, CART_GUEST_TTL_SECONDS, as the API reads them). */
  cartTtls: CartTtls;
  /** Pending orders older than this become expired in cleanup (ORDER_PAYMENT_TTL_SECONDS). */
  orderPaymentTtlSeconds: number;
  /** CURRENCY, for orders stored before they recorded one. */
  currency: string;
}

export interface Command {
  readonly usage: string;
  readonly help: string;
  /** Answers the exit code. */
  run(settings: DatabaseSettings, options: CommandOptions, log: Log): Promise<number>;
}

/** Where `create` writes new migrations: the sources, so they are reviewed and committed. */
const MIGRATIONS_SOURCE = 'libs/persistence/src/migrations';

const progress = (log: Log): MigrationProgress => ({
  onWaiting: () => log('another migrator holds the lock; waiting for it to finish'),
  onStep: ({ name, direction, durationMs }) =>
    log(`${direction === 'up' ? 'applied' : 'reverted'} ${name} (${durationMs} ms)`),
});

export const COMMANDS: Record<string, Command> = {
  up: {
    usage: 'up',
    help: 'apply every pending migration (the default)',
    async run(settings, _options, log) {
      const started = performance.now();
      const applied = await migrateDatabase(settings, progress(log));
      const summary =
        applied.length === 0 ? 'nothing to do: the schema is up to date' : `applied ${applied.length} migration(s)`;
      log(`${summary} in ${Math.round(performance.now() - started)} ms`);
      return EXIT.ok;
    },
  },
  down: {
    usage: 'down [--to NAME|0]',
    help: 'revert the last migration, or every one after NAME (0: all of them)',
    async run(settings, { to }, log) {
      const reverted = await revertMigrations(settings, to === '0' ? 0 : to, progress(log));
      log(reverted.length === 0 ? 'nothing to revert' : `reverted ${reverted.length} migration(s)`);
      return EXIT.ok;
    },
  },
  status: {
    usage: 'status',
    help: 'list applied and pending migrations; exit 3 while any is pending',
    async run(settings, _options, log) {
      const { executed, pending } = await migrationStatus(settings);
      executed.forEach((name) => log(`applied  ${name}`));
      pending.forEach((name) => log(`pending  ${name}`));
      log(`${executed.length} applied, ${pending.length} pending`);
      return pending.length > 0 ? EXIT.pending : EXIT.ok;
    },
  },
  check: {
    usage: 'check',
    help: 'on a migrated database, fail when the entities describe a schema the migrations do not build',
    async run(settings, _options, log) {
      const { pending } = await migrationStatus(settings);
      if (pending.length > 0) {
        log(`${pending.length} migration(s) pending: run "up" on this database first`);
        return EXIT.pending;
      }
      if (await entitiesDifferFromSchema(settings)) {
        log('the entities and the migrations disagree: run "create NAME" to write the missing migration');
        return EXIT.failed;
      }
      log('the entities and the migrations agree');
      return EXIT.ok;
    },
  },
  create: {
    usage: 'create NAME [--dir D]',
    help: `write a migration for what the entities changed (into ${MIGRATIONS_SOURCE}; run from the workspace root)`,
    async run(settings, { name = '', dir: directory = MIGRATIONS_SOURCE }, log) {
      const file = await createMigration(settings, name, directory);
      if (!file) {
        log('no changes: the schema already matches the entities');
        return EXIT.ok;
      }
      log(`wrote ${directory}/${file}; add it to ${MIGRATIONS_SOURCE}/index.ts and review it before committing`);
      return EXIT.ok;
    },
  },
  cleanup: {
    usage: 'cleanup',
    help: 'empty carts past their TTL, expire orders unpaid after ORDER_PAYMENT_TTL_SECONDS, delete idempotency keys past their 24 hours and published events past OUTBOX_RETENTION_HOURS',
    async run(settings, { outboxRetentionHours, cartTtls, orderPaymentTtlSeconds, currency }, log) {
      log(`emptied ${await cleanupExpiredCarts(settings, cartTtls, serializeEvent)} expired cart(s)`);
      log(`deleted ${await cleanupExpiredKeys(settings)} expired idempotency key(s)`);
      const events = await cleanupPublishedEvents(settings, { retentionHours: outboxRetentionHours });
      log(`deleted ${events} published outbox event(s) older than ${outboxRetentionHours} hour(s)`);
      const expired = await cleanupUnpaidOrders(settings, serializeEvent, {
        paymentTtlSeconds: orderPaymentTtlSeconds,
        currency,
      });
      log(`expired ${expired} order(s) unpaid after ${orderPaymentTtlSeconds} second(s)`);
      return EXIT.ok;
    },
  },
};
