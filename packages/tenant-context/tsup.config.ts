import { defineConfig } from 'tsup';

export default defineConfig({
  entry: [
    'src/index.ts',
    'src/tokens.ts',
    'src/middleware.ts',
    'src/credentials.ts',
    'src/logger.ts',
    'src/membership.ts',
    'src/tiers.ts',
    'src/admin.ts',
  ],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node22',
});
