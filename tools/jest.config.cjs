module.exports = {
  ...require('../jest.preset.cjs').jestProject(__dirname, { name: 'tools' }),
  collectCoverage: false,
  testTimeout: 60_000,
};
