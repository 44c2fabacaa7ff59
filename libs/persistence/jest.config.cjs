// testing/app-process.ts starts the built apps for the apps' own tests; nothing here runs it.
module.exports = require('../../jest.preset.cjs').jestProject(__dirname, {
  name: 'persistence',
  database: true,
  coverageExclude: ['testing/app-process.ts'],
});
