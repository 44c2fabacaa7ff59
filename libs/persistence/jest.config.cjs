module.exports = require('../../jest.preset.cjs').jestProject(__dirname, { name: 'persistence', database: true });
