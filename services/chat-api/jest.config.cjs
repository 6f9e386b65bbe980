module.exports = { ...require('../../jest.base.cjs'), setupFiles: ['<rootDir>/test/support/setup.cjs'] };
