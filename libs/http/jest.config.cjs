const { jestProject } = require('../../jest.preset.cjs');

const config = jestProject(__dirname, { name: 'http', database: true, apiAnswers: true });
// Tests against a real Redis run where REDIS_URL says where one is (CI sets it).
if (!process.env.REDIS_URL) config.testPathIgnorePatterns = ['/node_modules/', '\\.redis\\.spec\\.ts$'];
module.exports = config;
