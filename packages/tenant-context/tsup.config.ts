import { defineConfig } from 'tsup';
import { libraryBuild } from '../../tsup.base';

export default defineConfig(
  libraryBuild([
    'src/index.ts',
    'src/tokens.ts',
    'src/middleware.ts',
    'src/credentials.ts',
    'src/logger.ts',
    'src/membership.ts',
    'src/tiers.ts',
    'src/admin.ts',
  ]),
);
