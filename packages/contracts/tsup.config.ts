import { defineConfig } from 'tsup';

export default defineConfig({
  entry: [
    'src/index.ts',
    'src/events.ts',
    'src/http.ts',
    'src/orders.ts',
    'src/websocket.ts',
    'src/eventbridge.ts',
    'src/admin.ts',
  ],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node22',
});
