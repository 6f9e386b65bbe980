// jose 6 and otplib with its @scure/@noble dependencies (used by cognito-local) ship ESM only: let @swc/jest compile them like the
// root config does for middy.
const base = require('../../jest.base.cjs');

module.exports = {
  ...base,
  transformIgnorePatterns: [
    '/node_modules/(?!(\\.pnpm/@middy\\+|@middy/|\\.pnpm/ulid@|ulid/|\\.pnpm/jose@|jose/|\\.pnpm/@(scure|noble|otplib)\\+|@(scure|noble|otplib)/|\\.pnpm/otplib@|otplib/))',
  ],
  testTimeout: 20_000,
};
