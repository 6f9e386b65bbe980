import { defineConfig } from 'tsup';
import { libraryBuild } from '../../tsup.base';

export default defineConfig(
  libraryBuild([
    'src/index.ts',
    'src/events.ts',
    'src/http.ts',
    'src/orders.ts',
    'src/websocket.ts',
    'src/eventbridge.ts',
    'src/admin.ts',
  ]),
);
