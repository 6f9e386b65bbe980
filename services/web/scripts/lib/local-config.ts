import { type AppConfig, parseConfig } from '../../src/config';
import { ConfigError } from '../../src/errors';

/** The local stack's values (packages/dev-stack default ports); the app client id comes from the seed. */
export const LOCAL_DEFAULTS = {
  region: 'us-east-1',
  userPoolId: 'us-east-1_LocalDev1',
  cognitoEndpoint: 'http://127.0.0.1:9229',
  authFlow: 'USER_PASSWORD_AUTH',
  apiUrl: 'http://127.0.0.1:3000',
  webSocketUrl: 'ws://127.0.0.1:3001',
  adminApiUrl: 'http://127.0.0.1:3010',
} as const;

/**
 * A config.json for the local stack: the defaults above with `overrides` applied, validated.
 * @example localConfig({ userPoolClientId: seededClientId, apiUrl: 'http://127.0.0.1:4000' })
 */
export const localConfig = (overrides: Partial<Record<keyof AppConfig, string>>): AppConfig =>
  parseConfig({ ...LOCAL_DEFAULTS, ...overrides });

/** Name of the variable `vite dev` / `vite preview` read the served /config.json from (a JSON string). */
export const CONFIG_ENV = 'TA_WEB_CONFIG';

/** The configuration given in TA_WEB_CONFIG, validated; undefined when it is not set. */
export const configFromEnv = (env: NodeJS.ProcessEnv = process.env): AppConfig | undefined => {
  const raw = env[CONFIG_ENV];
  if (!raw) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (error) {
    throw new ConfigError(`${CONFIG_ENV} is not valid JSON`, [], error);
  }
  return parseConfig(value);
};

const originOf = (url: string): string => new URL(url).origin;

/**
 * The Content-Security-Policy of the app: the same directives as the CloudFront response-headers
 * policy in serverless.yml (checked by a test), with connect-src built from the configuration.
 * `upgradeInsecureRequests` is for HTTPS sites only (the local stack is plain http/ws).
 */
export const contentSecurityPolicy = (
  config: AppConfig,
  options: { upgradeInsecureRequests: boolean },
): string => {
  const cognito = config.cognitoEndpoint
    ? originOf(config.cognitoEndpoint)
    : `https://cognito-idp.${config.region}.amazonaws.com`;
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "manifest-src 'self'",
    `connect-src 'self' ${originOf(config.apiUrl)} ${originOf(config.webSocketUrl)} ${originOf(config.adminApiUrl)} ${cognito}${config.metricsUrl ? ` ${originOf(config.metricsUrl)}` : ''}`,
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "object-src 'none'",
    ...(options.upgradeInsecureRequests ? ['upgrade-insecure-requests'] : []),
  ].join('; ');
};

/** The other security headers CloudFront adds (HSTS only makes sense over HTTPS, so it is left out locally). */
export const LOCAL_SECURITY_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'strict-origin-when-cross-origin',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=()',
  'Cross-Origin-Opener-Policy': 'same-origin',
} as const;
