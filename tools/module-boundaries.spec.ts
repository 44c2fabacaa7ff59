import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ESLint } from 'eslint';

const workspaceRoot = join(__dirname, '..');
const fixture = (name: string) => readFileSync(join(__dirname, 'lint-fixtures', name), 'utf8');

/** Lints a fixture as if it were a file at `filePath`, and answers the boundary rule's messages. */
async function boundaryErrors(fixtureName: string, filePath: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: workspaceRoot });
  const [result] = await eslint.lintText(fixture(fixtureName), { filePath: join(workspaceRoot, filePath) });
  return result.messages
    .filter((message) => message.ruleId === '@nx/enforce-module-boundaries')
    .map((message) => message.message);
}

describe('module boundaries', () => {
  it('when domain imports Koa, MikroORM or Joi, then lint fails', async () => {
    const errors = await boundaryErrors('domain-imports-frameworks.ts', 'libs/domain/src/leak.ts');
    expect(errors).toHaveLength(3);
    expect(errors).toEqual([
      'A project tagged with "type:domain" is not allowed to import "koa"',
      'A project tagged with "type:domain" is not allowed to import "@mikro-orm/core"',
      'A project tagged with "type:domain" is not allowed to import "joi"',
    ]);
  });

  it('when domain imports the http layer, then lint fails', async () => {
    const [error] = await boundaryErrors('domain-imports-http.ts', 'libs/domain/src/leak.ts');
    expect(error).toMatch(
      /Circular dependency between "domain" and "http"|tagged with "type:domain" can only depend on/,
    );
  });

  it('when http imports persistence, or persistence imports http, then lint fails', async () => {
    expect(await boundaryErrors('imports-persistence.ts', 'libs/http/src/leak.ts')).toHaveLength(1);
    expect(await boundaryErrors('imports-http.ts', 'libs/persistence/src/leak.ts')).toHaveLength(1);
  });

  it('when util imports domain, then lint fails: generic helpers depend on no layer', async () => {
    expect(await boundaryErrors('imports-domain.ts', 'libs/util/src/leak.ts')).toHaveLength(1);
  });

  it('when http or persistence import domain, or an http test wires in persistence, then lint passes', async () => {
    expect(await boundaryErrors('imports-domain.ts', 'libs/http/src/fine.ts')).toEqual([]);
    expect(await boundaryErrors('imports-domain.ts', 'libs/persistence/src/fine.ts')).toEqual([]);
    expect(await boundaryErrors('imports-persistence.ts', 'libs/http/src/fine.spec.ts')).toEqual([]);
  });

  it('when http or persistence import the catalog adapter, or it imports them, then lint fails', async () => {
    expect(await boundaryErrors('imports-catalog.ts', 'libs/http/src/leak.ts')).toHaveLength(1);
    expect(await boundaryErrors('imports-catalog.ts', 'libs/persistence/src/leak.ts')).toHaveLength(1);
    expect(await boundaryErrors('imports-http.ts', 'libs/catalog/src/leak.ts')).toHaveLength(1);
    expect(await boundaryErrors('imports-persistence.ts', 'libs/catalog/src/leak.ts')).toHaveLength(1);
  });

  it('when the app wires in the catalog adapter, or the adapter imports domain, then lint passes', async () => {
    expect(await boundaryErrors('imports-catalog.ts', 'apps/api/src/fine.ts')).toEqual([]);
    expect(await boundaryErrors('imports-domain.ts', 'libs/catalog/src/fine.ts')).toEqual([]);
  });

  it('when code outside tests starts the reference catalog server, then lint fails; in tests it passes', async () => {
    expect(await boundaryErrors('imports-catalog-server.ts', 'libs/http/src/leak.ts')).toHaveLength(1);
    expect(await boundaryErrors('imports-catalog-server.ts', 'apps/api/src/leak.ts')).toHaveLength(1);
    expect(await boundaryErrors('imports-catalog-server.ts', 'libs/http/src/fine.spec.ts')).toEqual([]);
    expect(await boundaryErrors('imports-catalog.ts', 'libs/http/test/fine.ts')).toEqual([]);
  });
});
