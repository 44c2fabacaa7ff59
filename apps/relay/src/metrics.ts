import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import { OutboxBacklog } from '@carthub/persistence';

/** The relay's Prometheus metrics, on a registry of its own. */
export class RelayMetrics {
  readonly registry = new Registry();
  private readonly pending = new Gauge({
    name: 'carthub_outbox_pending',
    help: 'Outbox events not yet published, parked ones left out',
    registers: [this.registry],
  });
  private readonly lag = new Gauge({
    name: 'carthub_outbox_lag_seconds',
    help: 'Age of the oldest unpublished outbox event that is not parked (0 when none)',
    registers: [this.registry],
  });
  private readonly parked = new Gauge({
    name: 'carthub_outbox_parked',
    help: 'Outbox events parked because the broker refused them for good (they wait for an operator)',
    registers: [this.registry],
  });
  private readonly parkedTotal = new Counter({
    name: 'carthub_outbox_parked_total',
    help: 'Outbox events this relay parked because the broker refused them for good',
    registers: [this.registry],
  });
  private readonly failedRounds = new Counter({
    name: 'carthub_outbox_failed_rounds_total',
    help: 'Relay rounds that failed (PostgreSQL or NATS) and were retried after a backoff',
    registers: [this.registry],
  });
  private readonly published = new Counter({
    name: 'carthub_outbox_published_total',
    help: 'Outbox events this relay published (acknowledged by JetStream)',
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  recordBacklog(backlog: OutboxBacklog): void {
    this.pending.set(backlog.pending);
    this.lag.set(backlog.lagSeconds);
    this.parked.set(backlog.parked);
  }

  recordPublished(count: number): void {
    if (count > 0) this.published.inc(count);
  }

  recordParked(count: number): void {
    if (count > 0) this.parkedTotal.inc(count);
  }

  recordFailedRound(): void {
    this.failedRounds.inc();
  }
}
