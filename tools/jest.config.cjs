module.exports = {
  // database: container/readonly-run.spec.ts runs the built apps against a real PostgreSQL.
  ...require('../jest.preset.cjs').jestProject(__dirname, { name: 'tools', database: true }),
  collectCoverage: false,
  testTimeout: 60_000,
};
