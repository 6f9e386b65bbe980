import { createRequire } from 'node:module';

/**
 * `require` for resolving packages and files next to this package, in every form it runs in: CommonJS
 * (jest, tsx) has a real `require`; the ESM build has at most a bundler shim without `resolve`.
 */
export const localRequire: NodeJS.Require =
  typeof require === 'function' && typeof require.resolve === 'function'
    ? require
    : createRequire(import.meta.url);
