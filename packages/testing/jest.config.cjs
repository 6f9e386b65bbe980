const base = require('../../jest.base.cjs');

// jose is ESM-only and is used here (in tests only) to verify minted tokens independently.
module.exports = {
  ...base,
  transformIgnorePatterns: [
    '/node_modules/(?!(\\.pnpm/@middy\\+|@middy/|\\.pnpm/ulid@|ulid/|\\.pnpm/jose@|jose/))',
  ],
};
