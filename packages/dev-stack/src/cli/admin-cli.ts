import { parseArgs } from 'node:util';
import { adminRequest, signIn } from '../client';
import { readStackInfo } from '../state';
import { readSeededUsers } from '../users';

/** Options every admin CLI takes: where the admin API is and who calls it. */
export const ADMIN_CLI_OPTIONS = {
  as: { type: 'string' },
  password: { type: 'string' },
  'new-password': { type: 'string' },
  url: { type: 'string' },
  token: { type: 'string' },
  limit: { type: 'string' },
  cursor: { type: 'string' },
} as const;

export const CALLER_USAGE = `Caller: --as <username> [--password P] [--new-password P]   (the running local system)
        --url <AdminApiUrl> --token <ID token>                (a deployed stage; or TA_ADMIN_URL / TA_ADMIN_TOKEN)`;

/**
 * Who calls the admin API: against a deployed stage `--url` + `--token` (or TA_ADMIN_URL /
 * TA_ADMIN_TOKEN, e.g. an ID token from the hosted UI); locally `--as <user>`, signed in through the
 * local Cognito with the seeded password (or `--password`).
 */
export const adminCaller = async (values: Record<string, string | boolean | undefined>) => {
  const url = (values.url as string | undefined) ?? process.env.TA_ADMIN_URL;
  const token = (values.token as string | undefined) ?? process.env.TA_ADMIN_TOKEN;
  if (url && token) return { stack: { adminApiUrl: url.replace(/\/+$/, '') }, session: { idToken: token } };
  const username = values.as as string | undefined;
  if (!username) throw new Error(`Say who calls the admin API.\n${CALLER_USAGE}`);
  const stack = readStackInfo();
  const seeded = readSeededUsers().find((user) => user.username === username);
  const password = (values.password as string | undefined) ?? seeded?.password;
  if (!password) throw new Error(`No password known for ${username}: pass --password`);
  const session = await signIn(stack, username, password, values['new-password'] as string | undefined);
  return { stack, session };
};

/** Runs one admin API call and prints its JSON answer; a refusal prints the error and exits 1. */
export const runAdminCli = async (
  usage: string,
  route: (
    command: string,
    args: string[],
    values: Record<string, string | boolean | undefined>,
  ) => { method: string; path: string; body?: unknown } | undefined,
) => {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { ...ADMIN_CLI_OPTIONS, ...EXTRA_OPTIONS },
  });
  const [command, ...args] = positionals;
  const request = command ? route(command, args, values) : undefined;
  if (!request) {
    console.error(`${usage}\n${CALLER_USAGE}`);
    process.exit(2);
  }
  let answer: Awaited<ReturnType<typeof adminRequest>>;
  try {
    const { stack, session } = await adminCaller(values);
    answer = await adminRequest(stack, session, request.method, request.path, request.body);
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
  console.log(answer.body === undefined ? `HTTP ${answer.status}` : JSON.stringify(answer.body, null, 2));
  if (answer.status >= 400) process.exit(1);
};

/** Options of the tenant and user commands (names, policy, tier, email, role). */
const EXTRA_OPTIONS = {
  name: { type: 'string' },
  /** `tenants offboard`: the tenant id typed again. */
  confirm: { type: 'string' },
  'return-policy-days': { type: 'string' },
  tier: { type: 'string' },
  'admin-username': { type: 'string' },
  'admin-email': { type: 'string' },
  email: { type: 'string' },
} as const;

/** `?limit=&cursor=` from the options. */
export const pageQuery = (values: Record<string, string | boolean | undefined>) => {
  const query = new URLSearchParams();
  if (typeof values.limit === 'string') query.set('limit', values.limit);
  if (typeof values.cursor === 'string') query.set('cursor', values.cursor);
  const text = query.toString();
  return text ? `?${text}` : '';
};

/** A number option, or undefined; anything else is left for the API to refuse. */
export const numberOption = (value: string | boolean | undefined) =>
  typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)) ? Number(value) : value;
