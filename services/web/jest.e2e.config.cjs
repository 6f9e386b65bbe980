// Real-browser tests (playwright-core + Debian's Chromium), not part of `pnpm test`:
//   pnpm run build && pnpm run test:e2e           (fake-backend UI tests + stack tests; stack ones need WEB_URL)
const base = require('../../jest.base.cjs');
module.exports = {
  ...base,
  testMatch: ['<rootDir>/e2e/**/*.e2e.ts'],
  // otplib's base32/crypto plugins are ESM-only: compile them like middy.
  transformIgnorePatterns: [
    '/node_modules/(?!(\\.pnpm/@middy\\+|@middy/|\\.pnpm/ulid@|ulid/|\\.pnpm/@scure\\+|@scure/|\\.pnpm/@noble\\+|@noble/))',
  ],
  testTimeout: 120_000,
  maxWorkers: 1,
};
