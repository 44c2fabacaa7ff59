import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import { OutboxBacklog } from '@carthub/persistence';

/** The relay's Prometheus metrics, on a registry of its own. */
export class RelayMetrics {
  readonly registry = new Registry();
  private readonly pending = new Gauge({
    name: 'carthub_outbox_pending',
    help: 'Outbox events not yet published',
    registers: [this.registry],
  });
  private readonly lag = new Gauge({
    name: 'carthub_outbox_lag_seconds',
    help: 'Age of the oldest unpublished outbox event (0 when none)',
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
  }

  recordPublished(count: number): void {
    if (count > 0) this.published.inc(count);
  }
}
