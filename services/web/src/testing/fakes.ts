import type { CognitoPort, CognitoTokens, SignInStep } from '../auth/cognito-port';

export const USER_SUB = '6f1c2e4a-0b7d-4c1e-9a53-2d8e7f6a5b4c';
export const OTHER_SUB = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
export const answerIdOf = (sub: string, n = 1) =>
  `${sub}.01JD0000000000000000000${String(n).padStart(3, '0')}`;

const base64Url = (value: string) => Buffer.from(value).toString('base64url');

/** An unsigned JWT with the given claims (the browser only reads claims; the API verifies). */
export const fakeJwt = (claims: Record<string, unknown>): string =>
  `${base64Url(JSON.stringify({ alg: 'RS256', kid: 'test' }))}.${base64Url(JSON.stringify(claims))}.c2ln`;

export const fakeTokens = (
  options: {
    expSeconds?: number;
    sub?: string;
    tenantId?: string | null;
    username?: string;
    marker?: string;
  } = {},
): CognitoTokens => {
  const claims: Record<string, unknown> = {
    sub: options.sub ?? USER_SUB,
    'cognito:username': options.username ?? 'tenant1-user',
    token_use: 'id',
    exp: options.expSeconds ?? Math.floor(Date.now() / 1000) + 3600,
    marker: options.marker ?? 'first',
  };
  if (options.tenantId !== null) claims['custom:tenantId'] = options.tenantId ?? 'tenant1';
  return {
    idToken: fakeJwt(claims),
    accessToken: fakeJwt({ ...claims, token_use: 'access' }),
    refreshToken: `refresh-${options.marker ?? 'first'}`,
  };
};

type Call = { method: keyof CognitoPort; args: unknown[] };

/** A scripted Cognito: each method answers from a queue (a value, or an error to reject with). */
export const fakeCognito = () => {
  const calls: Call[] = [];
  const queues = new Map<keyof CognitoPort, unknown[]>();
  const answer = async (method: keyof CognitoPort, args: unknown[]) => {
    calls.push({ method, args });
    const next = queues.get(method)?.shift();
    if (next instanceof Error || (next && typeof next === 'object' && 'rejectWith' in next)) {
      throw next instanceof Error ? next : (next as { rejectWith: unknown }).rejectWith;
    }
    return next;
  };
  const port: CognitoPort = {
    restore: () => answer('restore', []) as Promise<CognitoTokens | undefined>,
    signIn: (...args) => answer('signIn', args) as Promise<SignInStep>,
    completeNewPassword: (...args) => answer('completeNewPassword', args) as Promise<SignInStep>,
    sendTotpCode: (...args) => answer('sendTotpCode', args) as Promise<SignInStep>,
    refresh: (...args) => answer('refresh', args) as Promise<CognitoTokens>,
    associateTotp: () => answer('associateTotp', []) as Promise<string>,
    verifyTotp: (...args) => answer('verifyTotp', args) as Promise<CognitoTokens | undefined>,
    enableTotpMfa: () => answer('enableTotpMfa', []) as Promise<void>,
    globalSignOut: () => answer('globalSignOut', []) as Promise<void>,
    clearLocalSession: () => {
      calls.push({ method: 'clearLocalSession', args: [] });
    },
  };
  return {
    port,
    calls,
    /** Queues what `method` answers next. */
    next(method: keyof CognitoPort, ...values: unknown[]) {
      queues.set(method, [...(queues.get(method) ?? []), ...values]);
    },
    /** Queues a Cognito failure such as `{ code: 'NotAuthorizedException' }`. */
    fail(method: keyof CognitoPort, failure: { code: string; message?: string }) {
      queues.set(method, [...(queues.get(method) ?? []), { rejectWith: failure }]);
    },
    called: (method: keyof CognitoPort) => calls.filter((call) => call.method === method),
  };
};
