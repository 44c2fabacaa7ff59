import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const workspaceRoot = join(__dirname, '..');

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts'))
    .map((entry) => join(entry.parentPath, entry.name));
}

/**
 * Every setting the code reads, and where: each app reads its environment once, through a Joi
 * schema given to validateEnv (libs/util), built from its own keys and the shared `…EnvKeys`
 * groups (libs/persistence); the upper-case keys of those files are the settings. A direct
 * process.env read anywhere else in the apps' and libraries' sources counts too.
 */
function settingsInCode(): Map<string, string> {
  const folders = ['apps', 'libs'].flatMap((kind) =>
    readdirSync(join(workspaceRoot, kind)).map((project) => join(workspaceRoot, kind, project, 'src')),
  );
  const settings = new Map<string, string>();
  for (const file of folders.flatMap((folder) => sourceFiles(folder))) {
    const text = readFileSync(file, 'utf8');
    const where = relative(workspaceRoot, file);
    const readsEnvironment = /\bvalidateEnv\(/.test(text) || /export const \w+EnvKeys\b/.test(text);
    const keys = readsEnvironment ? [...text.matchAll(/^\s+([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*):/gm)] : [];
    const direct = [...text.matchAll(/process\.env(?:\.|\[')([A-Z][A-Z0-9_]*)/g)];
    for (const [, name] of [...keys, ...direct]) settings.set(name, where);
  }
  return settings;
}

/** The names in the first column of README.md's "Configuration" table. */
function settingsInReadme(): Set<string> {
  const readme = readFileSync(join(workspaceRoot, 'README.md'), 'utf8');
  const section = readme.split(/^## Configuration$/m)[1]?.split(/^## /m)[0] ?? '';
  const rows = section.split('\n').filter((line) => line.startsWith('| `'));
  return new Set(
    rows.flatMap((row) => [...row.split('|')[1].matchAll(/`([A-Z][A-Z0-9_]*)`/g)].map((match) => match[1])),
  );
}

describe("README's settings table", () => {
  const code = settingsInCode();
  const table = settingsInReadme();

  it('finds the settings where the apps read them (the scan itself works)', () => {
    expect([...code.keys()]).toEqual(expect.arrayContaining(['PORT', 'DATABASE_URL', 'NATS_URL', 'CART_TTL_SECONDS']));
    expect([...new Set(code.values())]).toEqual(
      expect.arrayContaining(['apps/api/src/config.ts', 'apps/relay/src/config.ts', 'apps/migrator/src/cli.ts']),
    );
    expect(table.size).toBeGreaterThan(30);
  });

  it('lists every setting the code reads: a row for each, none missing', () => {
    const missing = [...code].filter(([name]) => !table.has(name)).map(([name, where]) => `${name} (read in ${where})`);
    expect(missing).toEqual([]);
  });

  it('lists nothing the code does not read: no row for a setting that is gone', () => {
    expect([...table].filter((name) => !code.has(name))).toEqual([]);
  });
});
