import { FreshReading } from './fresh-reading';

/** A reading that the test ends by hand, counting how many were taken. */
function manualReadings() {
  const pending: ((value: number) => void)[] = [];
  const failures: ((error: Error) => void)[] = [];
  let taken = 0;
  const reading = new FreshReading(
    () =>
      new Promise<number>((resolve, reject) => {
        taken++;
        pending.push(resolve);
        failures.push(reject);
      }),
  );
  const settle = async (value: number) => {
    pending.shift()!(value);
    failures.shift();
    // Let the queued reading start.
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { reading, settle, fail: (error: Error) => (pending.shift(), failures.shift()!(error)), taken: () => taken };
}

describe('FreshReading', () => {
  it('when nothing is under way, then a call takes a reading of its own', async () => {
    const { reading, settle, taken } = manualReadings();
    const first = reading.read();
    expect(taken()).toBe(1);
    await settle(1);
    await expect(first).resolves.toBe(1);
  });

  it('when callers arrive during a reading, then they all share the next one, taken after it ends', async () => {
    const { reading, settle, taken } = manualReadings();
    const early = reading.read();
    const late = [reading.read(), reading.read(), reading.read()];
    expect(taken()).toBe(1);
    await settle(1);
    await expect(early).resolves.toBe(1);
    expect(taken()).toBe(2);
    await settle(2);
    await expect(Promise.all(late)).resolves.toEqual([2, 2, 2]);
  });

  it('when a reading fails, then its callers get the error and those queued behind it a fresh reading', async () => {
    const { reading, settle, fail, taken } = manualReadings();
    const failing = reading.read();
    const queued = reading.read();
    fail(new Error('primary down'));
    await expect(failing).rejects.toThrow('primary down');
    await new Promise((resolve) => setImmediate(resolve));
    expect(taken()).toBe(2);
    await settle(3);
    await expect(queued).resolves.toBe(3);
  });
});
