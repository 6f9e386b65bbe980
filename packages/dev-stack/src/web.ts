import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import type { StackInfo } from './state';
import { REPO_ROOT } from './state';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.map': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};

export const WEB_DIST = join(REPO_ROOT, 'services', 'web', 'dist');

/** The web app's runtime configuration for the local system (`/config.json`). */
export const localWebConfig = (info: StackInfo) => ({
  region: info.region,
  userPoolId: info.userPoolId,
  userPoolClientId: info.webClientId,
  cognitoEndpoint: info.cognitoUrl,
  authFlow: 'USER_PASSWORD_AUTH',
  apiUrl: info.chatApiUrl,
  webSocketUrl: info.webSocketUrl,
  adminApiUrl: info.adminApiUrl,
  metricsUrl: info.metricsUrl,
});

/**
 * Serves the built web app (services/web/dist) on 127.0.0.1 with the local `/config.json`, the
 * single-page-app fallback to index.html and the security headers CloudFront adds when deployed.
 */
export const serveWeb = async (options: { port: number; info: StackInfo; dist?: string }) => {
  const dist = options.dist ?? WEB_DIST;
  if (!existsSync(join(dist, 'index.html'))) {
    throw new Error(
      `The web app is not built (${dist}/index.html is missing): run pnpm --filter @tenant-assistant/web build`,
    );
  }
  const config = JSON.stringify(localWebConfig(options.info));
  const { cognitoUrl, chatApiUrl, webSocketUrl, adminApiUrl, metricsUrl } = options.info;
  const headers = {
    'content-security-policy': `default-src 'self'; connect-src 'self' ${chatApiUrl} ${webSocketUrl} ${adminApiUrl} ${cognitoUrl} ${metricsUrl}; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'`,
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'strict-origin-when-cross-origin',
  };
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://local').pathname);
    if (path === '/config.json') {
      res.writeHead(200, { ...headers, 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(config);
      return;
    }
    const file = normalize(join(dist, path));
    const inside = file.startsWith(dist + sep);
    const target = inside && existsSync(file) && extname(file) ? file : join(dist, 'index.html');
    try {
      const body = await readFile(target);
      res.writeHead(200, {
        ...headers,
        'content-type': TYPES[extname(target)] ?? 'application/octet-stream',
      });
      res.end(body);
    } catch {
      res.writeHead(404, headers);
      res.end('Not found');
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  return {
    name: 'web',
    url: `http://127.0.0.1:${options.port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};
