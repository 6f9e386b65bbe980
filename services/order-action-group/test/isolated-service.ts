import { cp, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** This service's folder. */
export const serviceDir = join(__dirname, '..');

/**
 * Runs `fn` in a throw-away copy of this service (its `node_modules` linked, not copied). The
 * framework always writes into `<service>/.serverless` and esbuild into `<service>/.esbuild`, so
 * two `serverless` commands in one folder at once (jest workers, or turbo running `build` next to
 * `test`) would overwrite each other's output. (`packageService` already packages in a copy.)
 */
export const inIsolatedCopy = async <T>(fn: (dir: string) => Promise<T>): Promise<T> => {
  const dir = await mkdtemp(join(tmpdir(), 'order-action-group-'));
  try {
    await Promise.all(
      ['serverless.yml', 'package.json', 'config', 'src', 'events'].map((entry) =>
        cp(join(serviceDir, entry), join(dir, entry), { recursive: true }),
      ),
    );
    await symlink(join(serviceDir, 'node_modules'), join(dir, 'node_modules'), 'dir');
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
};
