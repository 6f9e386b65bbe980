// Shared jest settings for every workspace (each jest.config.cjs spreads this).
// middy 7 is ESM-only: @swc/jest compiles TypeScript and those ESM packages to CommonJS, and the
// `source` export condition lets tests import workspace packages' TypeScript directly.
module.exports = {
  testEnvironment: 'node',
  testEnvironmentOptions: { customExportConditions: ['source', 'node', 'require', 'default'] },
  transform: {
    '^.+\\.(t|j|mj|cj)sx?$': [
      '@swc/jest',
      { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } },
    ],
  },
  transformIgnorePatterns: ['/node_modules/(?!(\\.pnpm/@middy\\+|@middy/|\\.pnpm/ulid@|ulid/))'],
  resolver: require.resolve('./jest.resolver.cjs'),
  moduleFileExtensions: ['ts', 'tsx', 'js', 'mjs', 'cjs', 'json'],
  testMatch: ['<rootDir>/src/**/*.test.ts', '<rootDir>/test/**/*.test.ts'],
  clearMocks: true,
};
