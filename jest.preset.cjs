// Shared Jest settings: SWC transpiles TypeScript, Nx's resolver maps the
// @carthub/* path aliases to library sources.
module.exports = {
  testEnvironment: 'node',
  resolver: '@nx/jest/plugins/resolver',
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2023' }, module: { type: 'commonjs' } }],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testMatch: ['<rootDir>/**/*.spec.ts'],
  collectCoverage: true,
  collectCoverageFrom: ['<rootDir>/src/**/*.ts', '!<rootDir>/src/**/*.spec.ts', '!<rootDir>/src/index.ts', '<rootDir>/testing/*.ts', '!<rootDir>/testing/global-*.ts', '!<rootDir>/testing/workspace-aliases.ts'],
  coverageReporters: ['text-summary', 'lcov'],
};
