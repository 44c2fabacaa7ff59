import { ConfigError, runService } from '../src';

// A service for run-service.spec.ts, run as a real process: MODE says how it behaves.
const mode = process.env['MODE'];
const logger = {
  info: (fields: object, message?: string) => console.log(message ?? '', JSON.stringify(fields)),
  error: () => console.log('error'),
};

runService('fixture', async () => {
  if (mode === 'misconfigured') throw new ConfigError('Invalid configuration: PORT must be a number');
  if (mode === 'broken') throw new Error('no database');
  // Work that keeps the process alive until it is stopped, as a listening server does.
  const work = setInterval(() => undefined, 1_000);
  return {
    logger,
    service: {
      async stop() {
        clearInterval(work);
        if (mode === 'stop-fails') throw new Error('cannot close');
        console.log('stopped');
      },
    },
  };
});
