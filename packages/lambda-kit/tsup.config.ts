import { defineConfig } from 'tsup';
import { libraryBuild } from '../../tsup.base';

export default defineConfig(
  libraryBuild([
    'src/errors.ts',
    'src/config.ts',
    'src/middlewares.ts',
    'src/http.ts',
    'src/metrics.ts',
    'src/tracing.ts',
  ]),
);
