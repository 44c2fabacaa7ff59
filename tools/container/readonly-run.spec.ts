import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { chmod, cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createEmptyDatabase, createTestDatabase, findFreePort, TestDatabase } from '@carthub/persistence/testing';
import { renderKustomization } from '../k8s/kustomize';

/*
 * What the container images do, without Docker: each built app runs from a
 * read-only copy of its dist folder, as an unprivileged user, with the prod
 * overlay's ConfigMap as its environment, against a real PostgreSQL.
 */

const WORKSPACE = join(__dirname, '../..');
const NODE_MODULES = join(WORKSPACE, 'node_modules');

interface Exit {
  code: number | null;
  stderr: string;
}

/** As root, run as `nobody` (like the image's UID 10001, it owns nothing); otherwise as ourselves. */
function unprivileged(): { uid?: number; gid?: number } {
  if (process.getuid?.() !== 0) return {};
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((entry) => entry.startsWith('nobody:'));
  if (!line) throw new Error('no user "nobody" to run the apps as');
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

/**
 * `nobody` loads Node and the packages from the workspace, so it must be able
 * to walk down to them. A checkout under a private home (/root is 0700) does
 * not allow that: as root, grant other users traverse-only access (o+x, never
 * read) on such folders for the duration of these tests, and take it back after.
 */
async function openPathToWorkspace(): Promise<() => Promise<void>> {
  if (process.getuid?.() !== 0) return async () => undefined;
  const closed: { dir: string; mode: number }[] = [];
  for (let dir = dirname(NODE_MODULES); dir !== dirname(dir); dir = dirname(dir)) {
    const { mode } = statSync(dir);
    if ((mode & 0o001) === 0) closed.push({ dir, mode: mode & 0o7777 });
  }
  for (const { dir, mode } of closed) await chmod(dir, mode | 0o001);
  return async () => {
    for (const { dir, mode } of closed) await chmod(dir, mode);
  };
}

/** A read-only copy of a built app, as the image holds it. */
async function readOnlyCopy(app: string): Promise<string> {
  const built = join(WORKSPACE, 'dist/apps', app);
  if (!existsSync(join(built, 'main.js'))) {
    throw new Error(`${built}/main.js is missing: run "npx nx build ${app}" (the tools test target does)`);
  }
  const root = await mkdtemp(join(tmpdir(), `carthub-${app}-ro-`));
  await cp(built, join(root, 'app'), { recursive: true });
  await run('chmod', ['-R', 'a-w,a+rX', root]);
  return join(root, 'app');
}

async function removeCopy(appDir: string): Promise<void> {
  const root = dirname(appDir);
  await chmod(root, 0o700);
  await run('chmod', ['-R', 'u+w', root]);
  await rm(root, { recursive: true, force: true });
}

function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) =>
    spawn(command, args, { stdio: 'inherit' }).on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} exited ${code}`)),
    ),
  );
}

/** The prod overlay's ConfigMap, with the database's parts in place of its DB_HOST and the Secret's keys. */
function environment(database: TestDatabase, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const rendered = renderKustomization(join(WORKSPACE, 'k8s/overlays/prod'));
  const config = rendered.find((object) => object.kind === 'ConfigMap')?.['data'] as Record<string, string>;
  const url = new URL(database.url);
  return {
    ...config,
    DB_HOST: url.hostname,
    DB_PORT: url.port,
    DB_NAME: url.pathname.slice(1),
    DB_USERNAME: decodeURIComponent(url.username),
    DB_PASSWORD: decodeURIComponent(url.password),
    NODE_ENV: 'production',
    HOME: '/tmp',
    // The image installs the app's production dependencies beside main.js; here they come from the workspace.
    NODE_PATH: NODE_MODULES,
    PATH: process.env['PATH'],
    ...extra,
  };
}

/** `node <args>` in the app's folder, as the image's ENTRYPOINT runs it. */
function start(appDir: string, args: string[], env: NodeJS.ProcessEnv): { child: ChildProcess; exit: Promise<Exit> } {
  const child = spawn(process.execPath, args, {
    cwd: appDir,
    env,
    ...unprivileged(),
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk) => (stderr += chunk));
  const exit = new Promise<Exit>((resolve) => child.on('exit', (code) => resolve({ code, stderr })));
  return { child, exit };
}

/** An image's HEALTHCHECK command, run as the image would run it; answers its exit code. */
function healthcheck(env: NodeJS.ProcessEnv, target = 'api'): Promise<number | null> {
  const file = readFileSync(join(WORKSPACE, 'Dockerfile'), 'utf8').replace(/\\\n/g, ' ');
  const dockerfile = file.slice(file.indexOf(`FROM runtime AS ${target}\n`));
  const [, command = '[]'] = dockerfile.match(/^HEALTHCHECK .*?CMD (\[.*\])$/m) ?? [];
  const [executable, ...args] = JSON.parse(command) as string[];
  expect(executable).toBe('node');
  const child = spawn(process.execPath, args, { env, ...unprivileged(), stdio: ['ignore', 'ignore', 'pipe'] });
  return new Promise((resolve) => child.on('exit', resolve));
}

/** The real user id a process runs as. */
function uidOf(pid: number | undefined): number {
  return Number(/^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
}

async function health(url: string): Promise<{ status: number; body: Record<string, unknown> } | undefined> {
  const response = await fetch(`${url}/health`).catch(() => undefined);
  return response && { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('the built apps, read-only and unprivileged', () => {
  let closePathToWorkspace: () => Promise<void>;
  beforeAll(async () => {
    closePathToWorkspace = await openPathToWorkspace();
  });
  afterAll(() => closePathToWorkspace());

  it('when the API runs from a read-only copy as an unprivileged user, then it serves /health with the database connected, passes the HEALTHCHECK, and exits 0 on SIGTERM', async () => {
    const database = await createTestDatabase();
    const appDir = await readOnlyCopy('api');
    const port = String(await findFreePort());
    const env = environment(database, { HOST: '127.0.0.1', PORT: port });
    const api = start(appDir, ['main.js'], env);
    try {
      let answer;
      for (let attempt = 0; attempt < 150 && answer?.status !== 200; attempt++) {
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 100));
        answer = await health(`http://127.0.0.1:${port}`);
      }
      expect(answer).toEqual({ status: 200, body: expect.objectContaining({ database: 'connected' }) });
      expect(uidOf(api.child.pid)).toBe(unprivileged().uid ?? process.getuid?.());
      const write = await start(appDir, ['-e', 'require("fs").writeFileSync("probe", "")'], env).exit;
      expect(write.stderr).toContain('EACCES');
      expect(await healthcheck(env)).toBe(0);

      api.child.kill('SIGTERM');
      const { code, stderr } = await api.exit;
      expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
      expect(await healthcheck(env)).toBe(1);
    } finally {
      api.child.kill('SIGKILL'); // a no-op once it has exited
      await removeCopy(appDir);
      await database.drop();
    }
  });

  it('when the relay runs from a read-only copy as an unprivileged user, then it serves /health (503 while NATS is unreachable), its HEALTHCHECK says so, and it exits 0 on SIGTERM', async () => {
    const database = await createTestDatabase();
    const appDir = await readOnlyCopy('relay');
    const port = String(await findFreePort());
    const env = environment(database, {
      RELAY_HOST: '127.0.0.1',
      RELAY_PORT: port,
      NATS_URL: `nats://127.0.0.1:${await findFreePort()}`,
    });
    const relay = start(appDir, ['main.js'], env);
    try {
      let answer;
      for (let attempt = 0; attempt < 150 && answer === undefined; attempt++) {
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 100));
        answer = await health(`http://127.0.0.1:${port}`);
      }
      expect(answer).toEqual({ status: 503, body: expect.objectContaining({ nats: false }) });
      expect(uidOf(relay.child.pid)).toBe(unprivileged().uid ?? process.getuid?.());
      expect(await healthcheck(env, 'relay')).toBe(1);

      relay.child.kill('SIGTERM');
      const { code, stderr } = await relay.exit;
      expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    } finally {
      relay.child.kill('SIGKILL');
      await removeCopy(appDir);
      await database.drop();
    }
  });

  it('when the migrator runs from a read-only copy as an unprivileged user, then `up` migrates an empty database and `cleanup` (the CronJob) succeeds', async () => {
    const database = await createEmptyDatabase();
    const appDir = await readOnlyCopy('migrator');
    try {
      const up = await start(appDir, ['main.js', 'up'], environment(database)).exit;
      expect(up).toEqual({ code: 0, stderr: expect.stringMatching(/applied \d+ migration\(s\)/) });

      const cleanup = await start(appDir, ['main.js', 'cleanup'], environment(database)).exit;
      expect(cleanup).toEqual({ code: 0, stderr: expect.stringContaining('deleted 0 expired idempotency key(s)') });
    } finally {
      await removeCopy(appDir);
      await database.drop();
    }
  });
});
