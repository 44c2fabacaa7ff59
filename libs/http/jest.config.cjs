module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'http',
  rootDir: __dirname,
  coverageDirectory: '../../coverage/libs/http',
  coverageThreshold: { global: { lines: 90 } },
  globalSetup: '<rootDir>/../persistence/testing/global-setup.ts',
  globalTeardown: '<rootDir>/../persistence/testing/global-teardown.ts',
};
