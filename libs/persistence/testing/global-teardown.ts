import { withAdminClient } from './test-database';

export default async function globalTeardown(): Promise<void> {
  const server = globalThis.carthubTestServer;
  if (!server) return;
  if (server.embedded) {
    await server.embedded.stop();
  } else {
    await withAdminClient(server.serverUrl, (admin) =>
      admin.query(`drop database if exists "${server.template}" with (force)`),
    );
  }
}
