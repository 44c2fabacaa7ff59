import autocannon from 'autocannon';
import { cleaningUp, onCleanup } from './cleanup.mjs';

/**
 * One autocannon run against 127.0.0.1, bounded by `seconds`, with a progress
 * bar on stderr. Resolves with the figures the reports need.
 */
export async function runLoad({ url, title, seconds, connections, load }) {
  if (cleaningUp()) throw new Error('stopping');
  const sigintBefore = new Set(process.listeners('SIGINT'));
  let instance;
  const result = await new Promise((resolve, reject) => {
    instance = autocannon(
      { url, connections, duration: seconds, pipelining: 1, timeout: 10, requests: load.requests },
      (error, outcome) => (error ? reject(error) : resolve(outcome)),
    );
    const unregister = onCleanup(`stop load ${title}`, () => instance.stop());
    instance.once('done', unregister);
    autocannon.track(instance, {
      renderProgressBar: true,
      renderResultsTable: false,
      renderLatencyTable: false,
      progressBarString: `${title.padEnd(28)} [:bar] :percent`,
    });
  });
  // track() leaves a once('SIGINT') listener behind per run; dozens of runs would trip the leak warning.
  for (const listener of process.listeners('SIGINT')) {
    if (!sigintBefore.has(listener)) process.removeListener('SIGINT', listener);
  }
  const elapsed = result.duration || seconds;
  const summary = {
    reqPerSec: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes: Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, { count }]) => [code, count])),
    seconds: elapsed,
    ...(load.summarize ? load.summarize(elapsed) : {}),
  };
  process.stderr.write(
    `${title}: ${summary.reqPerSec.toFixed(0)} req/s, p50 ${summary.p50} ms, p99 ${summary.p99} ms, ` +
      `${summary.non2xx} non-2xx, ${summary.errors} errors\n`,
  );
  return summary;
}
