// main.ts runs in child processes (main.spec.ts), where coverage is not collected.
module.exports = require('../../jest.preset.cjs').jestProject(__dirname, {
  name: 'api',
  database: true,
  apiAnswers: true,
  coverageExclude: ['src/main.ts'],
});
