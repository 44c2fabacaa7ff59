module.exports = {
  ...require('../jest.preset.cjs'),
  displayName: 'tools',
  rootDir: __dirname,
  collectCoverage: false,
  testTimeout: 60_000,
};
