// Whatever the bench starts registers how to undo it here; the undo runs on
// success, failure and Ctrl+C alike, newest first.

const tasks = [];
let running;

export function onCleanup(label, task) {
  const entry = { label, task };
  tasks.push(entry);
  return () => {
    const index = tasks.indexOf(entry);
    if (index >= 0) tasks.splice(index, 1);
  };
}

/** Once cleanup has begun, nothing new may start. */
export const cleaningUp = () => running !== undefined;

export function cleanup() {
  running ??= (async () => {
    while (tasks.length > 0) {
      const { label, task } = tasks.pop();
      try {
        await task();
      } catch (error) {
        process.stderr.write(`cleanup (${label}) failed: ${error?.message ?? error}\n`);
      }
    }
  })();
  return running;
}

const SIGNALS = { SIGINT: 2, SIGTERM: 15, SIGHUP: 1 };

/** On a signal: clean up (bounded in time), then exit; a second signal exits at once. */
export function exitCleanlyOnSignals() {
  let received = false;
  for (const [signal, number] of Object.entries(SIGNALS)) {
    process.on(signal, () => {
      if (received) process.exit(128 + number);
      received = true;
      process.stderr.write(`\n${signal}: stopping and cleaning up…\n`);
      const deadline = setTimeout(() => process.exit(128 + number), 30_000);
      deadline.unref();
      cleanup().finally(() => process.exit(128 + number));
    });
  }
}
