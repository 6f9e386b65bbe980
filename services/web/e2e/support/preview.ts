import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** The tests run from services/web (jest's rootDir, turbo's cwd). */
const serviceDir = process.cwd();

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

/**
 * Serves the built app (dist/) with `vite preview` on a free port, /config.json from `config`, and
 * the same security headers (CSP) as CloudFront. Run `pnpm run build` first.
 */
export const startPreview = async (config: unknown): Promise<{ url: string; close: () => Promise<void> }> => {
  if (!existsSync(join(serviceDir, 'vite.config.ts')))
    throw new Error(`Run the browser tests from services/web, not ${serviceDir}`);
  if (!existsSync(join(serviceDir, 'dist', 'index.html')))
    throw new Error('dist/ is missing: run `pnpm run build` first');
  const port = await freePort();
  const child: ChildProcess = spawn(
    join(serviceDir, 'node_modules', '.bin', 'vite'),
    ['preview', '--port', String(port), '--strictPort', '--host', '127.0.0.1'],
    {
      cwd: serviceDir,
      env: { ...process.env, TA_WEB_CONFIG: JSON.stringify(config) },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    },
  );
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      if ((await fetch(`${url}/config.json`)).ok) break;
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null || Date.now() > deadline)
      throw new Error(`vite preview did not start:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    close: async () => {
      if (child.exitCode !== null || child.pid === undefined) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      process.kill(-child.pid, 'SIGTERM');
      await exited;
    },
  };
};
