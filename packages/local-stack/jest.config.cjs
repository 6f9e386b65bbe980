// jose 6 ships ESM only: let @swc/jest compile it like the root config does for middy.
const base = require('../../jest.base.cjs');

module.exports = {
  ...base,
  transformIgnorePatterns: [
    '/node_modules/(?!(\\.pnpm/@middy\\+|@middy/|\\.pnpm/ulid@|ulid/|\\.pnpm/jose@|jose/))',
  ],
  testTimeout: 20_000,
};
