// Browser tests: a separate target (`nx run http:e2e`), because they need Debian's chromium package.
module.exports = {
  ...require('../../jest.preset.cjs').jestProject(__dirname, { name: 'http-e2e', database: true }),
  testMatch: ['<rootDir>/e2e/**/*.e2e.ts'],
  collectCoverage: false,
  testTimeout: 60_000,
};
