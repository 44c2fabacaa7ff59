// Only the manifest checks (the `validate-manifests` target): no database, no build.
module.exports = {
  ...require('../../jest.preset.cjs').jestProject(__dirname, { name: 'manifests' }),
  collectCoverage: false,
};
