// main.ts only hands the process to cli.ts, which the tests call directly.
module.exports = require('../../jest.preset.cjs').jestProject(__dirname, {
  name: 'migrator',
  database: true,
  coverageExclude: ['src/main.ts'],
});
