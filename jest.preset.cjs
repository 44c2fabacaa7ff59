// Shared Jest settings. SWC transpiles TypeScript; Nx's resolver maps the
// @carthub/* path aliases to library sources.
const { join, relative } = require('node:path');

const databaseSetup = join(__dirname, 'libs/persistence/testing');

/**
 * One project's Jest config. `database: true` gives the run a PostgreSQL
 * server with a migrated template database (see libs/persistence/testing).
 * `apiAnswers: true` checks every answer the tests get from the API against
 * its /openapi.json (libs/http/test/check-api-responses.ts).
 */
function jestProject(projectDir, { name, database = false, apiAnswers = false, coverageExclude = [] }) {
  return {
    displayName: name,
    rootDir: projectDir,
    testEnvironment: 'node',
    resolver: '@nx/jest/plugins/resolver',
    transform: {
      '^.+\\.ts$': [
        '@swc/jest',
        { jsc: { parser: { syntax: 'typescript' }, target: 'es2023' }, module: { type: 'commonjs' } },
      ],
    },
    moduleFileExtensions: ['ts', 'js', 'json'],
    testMatch: ['<rootDir>/**/*.spec.ts'],
    collectCoverage: true,
    collectCoverageFrom: [
      '<rootDir>/src/**/*.ts',
      '<rootDir>/testing/*.ts',
      '!<rootDir>/**/*.spec.ts',
      '!<rootDir>/**/index.ts',
      '!<rootDir>/testing/global-*.ts',
      '!<rootDir>/testing/workspace-aliases.ts',
      ...coverageExclude.map((path) => `!<rootDir>/${path}`),
    ],
    coverageDirectory: join(__dirname, 'coverage', relative(__dirname, projectDir)),
    coverageReporters: ['text-summary', 'lcov'],
    coverageThreshold: { global: { lines: 90 } },
    ...(apiAnswers && { setupFilesAfterEnv: [join(__dirname, 'libs/http/test/check-api-responses.ts')] }),
    ...(database && {
      // Starting a PostgreSQL server (initdb, start, migrate) takes seconds on a busy 2-core machine.
      testTimeout: 30_000,
      globalSetup: join(databaseSetup, 'global-setup.ts'),
      globalTeardown: join(databaseSetup, 'global-teardown.ts'),
    }),
  };
}

module.exports = { jestProject };
