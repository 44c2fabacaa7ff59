const { jestProject } = require('../../jest.preset.cjs');

// main.ts runs in child processes (relay-process.ts), where coverage is not collected.
const config = jestProject(__dirname, {
  name: 'relay',
  database: true,
  apiAnswers: true,
  coverageExclude: ['src/main.ts'],
});
// The relay's work is publishing to NATS: tests against a real broker run where NATS_URL says where one is
// (.ci/run sets it). Without one only the broker-free tests run, too few to judge coverage by.
if (!process.env.NATS_URL) {
  config.testPathIgnorePatterns = ['/node_modules/', '\\.nats\\.spec\\.ts$'];
  delete config.coverageThreshold;
}
module.exports = config;
