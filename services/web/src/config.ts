import * as z from 'zod';
import { ConfigError } from './errors';

/** Where the app reads its runtime configuration (the same build runs locally and deployed). */
export const CONFIG_PATH = '/config.json';

const urlWithScheme = (schemes: readonly string[]) =>
  z.string().refine(
    (value) => {
      try {
        return schemes.includes(new URL(value).protocol);
      } catch {
        return false;
      }
    },
    { message: `must be a ${schemes.map((s) => s.replace(':', '://')).join(' or ')} URL` },
  );

/** `/config.json`: written at deploy time from the auth and chat-api outputs (the admin API is auth's), or by the dev command. */
export const appConfigSchema = z
  .object({
    region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be an AWS region such as us-east-1'),
    userPoolId: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d_[0-9A-Za-z]+$/, 'must look like us-east-1_AbC123'),
    userPoolClientId: z.string().regex(/^[0-9A-Za-z]{1,128}$/, 'must be an app client id'),
    cognitoEndpoint: urlWithScheme(['http:', 'https:']).optional(),
    authFlow: z.enum(['USER_SRP_AUTH', 'USER_PASSWORD_AUTH']),
    apiUrl: urlWithScheme(['http:', 'https:']).transform((value) => value.replace(/\/+$/, '')),
    webSocketUrl: urlWithScheme(['ws:', 'wss:']).transform((value) => value.replace(/\/+$/, '')),
    /** auth's admin API (its `AdminApiUrl` output): the admin area's users and tenants. */
    adminApiUrl: urlWithScheme(['http:', 'https:']).transform((value) => value.replace(/\/+$/, '')),
    /** The local system's metrics server (absent when deployed: CloudWatch holds the metrics there). */
    metricsUrl: urlWithScheme(['http:', 'https:'])
      .transform((value) => value.replace(/\/+$/, ''))
      .optional(),
  })
  .refine((config) => config.userPoolId.startsWith(`${config.region}_`), {
    message: 'must be a user pool of the configured region',
    path: ['userPoolId'],
  });

export type AppConfig = z.output<typeof appConfigSchema>;

/**
 * Validates a parsed configuration object, naming every bad field.
 * @example parseConfig(JSON.parse(text)).apiUrl
 */
export const parseConfig = (value: unknown): AppConfig => {
  const result = appConfigSchema.safeParse(value);
  if (!result.success) {
    const issues = result.error.issues.map(
      (issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`,
    );
    throw new ConfigError(`${CONFIG_PATH} is invalid: ${issues.join('; ')}`, issues, result.error);
  }
  return result.data;
};

/**
 * Fetches and validates `/config.json` (never cached by the browser: it changes per deployment).
 * Throws ConfigError with a message saying what is wrong.
 * @example const config = await loadConfig(fetch);
 */
export const loadConfig = async (fetchFn: typeof fetch, path: string = CONFIG_PATH): Promise<AppConfig> => {
  let response: Response;
  try {
    response = await fetchFn(path, { cache: 'no-store', headers: { accept: 'application/json' } });
  } catch (error) {
    throw new ConfigError(`Could not load ${path}: the server did not answer`, [], error);
  }
  if (!response.ok) throw new ConfigError(`Could not load ${path}: HTTP ${response.status}`);
  let body: unknown;
  try {
    body = await response.json();
  } catch (error) {
    throw new ConfigError(`${path} is not valid JSON`, [], error);
  }
  return parseConfig(body);
};
