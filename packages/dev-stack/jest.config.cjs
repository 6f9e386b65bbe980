module.exports = { ...require('../../jest.base.cjs'), testTimeout: 120000 };
