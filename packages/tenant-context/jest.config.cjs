module.exports = {
  ...require('../../jest.base.cjs'),
  collectCoverageFrom: ['src/**/*.ts', '!src/**/*.test.ts'],
  coverageReporters: ['text', 'text-summary', 'lcov'],
  // tenant-context is the isolation boundary of every service: keep it fully exercised.
  coverageThreshold: { global: { lines: 95, branches: 95, statements: 95, functions: 95 } },
};
