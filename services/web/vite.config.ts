import type { IncomingMessage, ServerResponse } from 'node:http';
import react from '@vitejs/plugin-react';
import { type Connect, defaultClientConditions, defineConfig, type Plugin } from 'vite';
import {
  CONFIG_ENV,
  configFromEnv,
  contentSecurityPolicy,
  LOCAL_SECURITY_HEADERS,
} from './scripts/lib/local-config';

/**
 * Serves /config.json from TA_WEB_CONFIG (when set) in `vite dev` and `vite preview`, and in preview
 * also the security headers CloudFront adds in AWS, so the local app runs under the same CSP.
 */
const runtimeConfig = (): Plugin => {
  const config = configFromEnv();
  const serve =
    (withHeaders: boolean): Connect.NextHandleFunction =>
    (req: IncomingMessage, res: ServerResponse, next: Connect.NextFunction) => {
      if (withHeaders && config) {
        res.setHeader(
          'Content-Security-Policy',
          contentSecurityPolicy(config, { upgradeInsecureRequests: false }),
        );
        for (const [name, value] of Object.entries(LOCAL_SECURITY_HEADERS)) res.setHeader(name, value);
      }
      if (config && req.url?.split('?')[0] === '/config.json') {
        res.setHeader('Content-Type', 'application/json');
        res.setHeader('Cache-Control', 'no-cache');
        res.end(JSON.stringify(config));
        return;
      }
      next();
    };
  return {
    name: 'tenant-assistant-runtime-config',
    configureServer(server) {
      if (!config)
        server.config.logger.warn(`${CONFIG_ENV} is not set: /config.json comes from public/ if present`);
      server.middlewares.use(serve(false));
    },
    configurePreviewServer(server) {
      server.middlewares.use(serve(true));
    },
  };
};

// `source` lets Vite bundle tenant-context's TypeScript directly (no prior build needed).
export default defineConfig({
  plugins: [react(), runtimeConfig()],
  resolve: { conditions: ['source', ...defaultClientConditions] },
  // amazon-cognito-identity-js (through the `buffer` package) expects Node's `global`.
  define: { global: 'globalThis' },
  build: { outDir: 'dist', sourcemap: true, target: 'es2022' },
  server: { host: '127.0.0.1', port: 5173, strictPort: true },
  preview: { host: '127.0.0.1', port: 5173, strictPort: true },
});
