module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'migrator',
  rootDir: __dirname,
  coverageDirectory: '../../coverage/apps/migrator',
  coverageThreshold: { global: { lines: 90 } },
  // main.ts runs in child processes (main.spec.ts), where coverage is not collected.
  coveragePathIgnorePatterns: ['/node_modules/', '<rootDir>/src/main.ts'],
  globalSetup: '<rootDir>/../../libs/persistence/testing/global-setup.ts',
  globalTeardown: '<rootDir>/../../libs/persistence/testing/global-teardown.ts',
};
