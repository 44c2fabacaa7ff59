/**
 * A value read by `take`, always taken after the call that asks for it.
 * Callers that arrive while a reading is under way wait for the next one,
 * which starts as soon as that one ends: however many ask at once, one
 * reading runs at a time, and each caller waits for at most two.
 */
export class FreshReading<T> {
  private running?: Promise<T>;
  private queued?: Promise<T>;

  constructor(private readonly take: () => Promise<T>) {}

  read(): Promise<T> {
    const running = this.running;
    if (!running) return this.start();
    // The reading under way may have been taken before this call: wait for the one after it.
    this.queued ??= running.then(noop, noop).then(() => {
      this.queued = undefined;
      return this.start();
    });
    return this.queued;
  }

  private start(): Promise<T> {
    const reading = this.take();
    this.running = reading;
    const done = () => {
      if (this.running === reading) this.running = undefined;
    };
    reading.then(done, done);
    return reading;
  }
}

const noop = () => undefined;
