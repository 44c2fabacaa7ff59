import { registerHooks } from 'node:module';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Jest loads global setup and teardown with Node's own require, outside its
 * resolver, so the workspace's @carthub/* path aliases need mapping here.
 */
const workspaceRoot = join(__dirname, '../../..');
const { compilerOptions } = JSON.parse(readFileSync(join(workspaceRoot, 'tsconfig.base.json'), 'utf8'));
const aliases = new Map<string, string>(
  Object.entries(compilerOptions.paths as Record<string, string[]>).map(([alias, [target]]) => [
    alias,
    join(workspaceRoot, target),
  ]),
);

registerHooks({
  resolve(specifier, context, nextResolve) {
    const target = aliases.get(specifier);
    return nextResolve(target ?? specifier, context);
  },
});
