module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'persistence',
  rootDir: __dirname,
  coverageDirectory: '../../coverage/libs/persistence',
  coverageThreshold: { global: { lines: 90 } },
  globalSetup: '<rootDir>/testing/global-setup.ts',
  globalTeardown: '<rootDir>/testing/global-teardown.ts',
};
