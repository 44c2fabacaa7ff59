module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'domain',
  rootDir: __dirname,
  coverageDirectory: '../../coverage/libs/domain',
  coverageThreshold: { global: { lines: 90 } },
};
