// run-service.ts is exercised in child processes (run-service.spec.ts), which coverage cannot see.
module.exports = require('../../jest.preset.cjs').jestProject(__dirname, {
  name: 'util',
  coverageExclude: ['src/run-service.ts'],
});
