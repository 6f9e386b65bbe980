import { defineConfig } from 'tsup';

export default defineConfig({
  entry: [
    'src/errors.ts',
    'src/config.ts',
    'src/middlewares.ts',
    'src/http.ts',
    'src/metrics.ts',
    'src/tracing.ts',
  ],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node22',
});
