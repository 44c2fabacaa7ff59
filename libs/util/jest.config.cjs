module.exports = require('../../jest.preset.cjs').jestProject(__dirname, { name: 'util' });
