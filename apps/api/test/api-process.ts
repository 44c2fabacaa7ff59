import { AppProcess, startBuiltApp } from '@carthub/persistence/testing';

export { waitForHealth } from '@carthub/persistence/testing';

/** The built API as a real process, as `npm start` and the container run it. */
export function startApi(env: Record<string, string>): Promise<AppProcess> {
  return startBuiltApp('api', { host: 'HOST', port: 'PORT' }, env);
}
