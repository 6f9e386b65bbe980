import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { newAnswerId } from '@tenant-assistant/tenant-context';
import { toSessionAttributes } from '@tenant-assistant/tenant-context/credentials';
import { signIn } from './client';
import { findTenantUser } from './orders';
import { localScopedCredentialsProvider, localServiceEnv, SERVICES, type ServiceKey } from './services';
import { defaultDataDir, REPO_ROOT, type StackInfo } from './state';
import { readSeededUsers } from './users';

type Json = Record<string, unknown>;

/** One `serverless invoke local` of a function with an event file. */
export interface InvokeLocalRequest {
  /** The service's folder name under services/ (e.g. `chat-api`). */
  service: string;
  /** The function's key in the service's serverless.yml. */
  fn: string;
  /** The event file: absolute, relative to the working folder, or to the service folder (`events/…`). */
  event: string;
  /** A seeded user the event is made real for first (see {@link actAs}). */
  as?: string;
}

export interface InvokeLocalResult {
  /** serverless' exit status (0 when the function returned). */
  status: number;
  /** What it printed (empty when the output went to this process's own). */
  stdout: string;
  stderr: string;
}

/** The service folders invoke-local accepts (`auth`, `chat-api`, …). */
export const INVOKABLE_SERVICES = Object.values(SERVICES).map((s) => s.dir.split('/')[1] as string);

/**
 * The sample event made real for a seeded user: fresh tenant-scoped credentials for action-group
 * events, the user's tenant, sub and a new answer id for EventBridge events, a fresh ID token for
 * WebSocket `$connect` and HTTP events (with the claims API Gateway's authorizer would add).
 */
const actAs = async (info: StackInfo, username: string, event: Json, dataDir: string): Promise<Json> => {
  const cognito = new CognitoIdentityProviderClient({
    region: info.region,
    endpoint: info.cognitoUrl,
    credentials: info.adminCredentials,
  });
  const user = await findTenantUser(cognito, info.userPoolId, username);
  if (event.sessionAttributes) {
    const provider = localScopedCredentialsProvider(info);
    return { ...event, sessionAttributes: toSessionAttributes(user, await provider.get(user)) };
  }
  if (event.detail && typeof event.detail === 'object') {
    const detail = { ...(event.detail as Json), tenantId: user.tenantId, userId: user.userId };
    if ('answerId' in detail) detail.answerId = newAnswerId(user.userId);
    return { ...event, detail };
  }
  const password = readSeededUsers(dataDir).find((u) => u.username === username)?.password;
  if (!password) throw new Error(`No known password for ${username}`);
  const { idToken } = await signIn(info, username, password);
  const claims = JSON.parse(Buffer.from(idToken.split('.')[1] ?? '', 'base64url').toString()) as Json;
  const requestContext = (event.requestContext ?? {}) as Json;
  if (requestContext.routeKey === '$connect' || requestContext.eventType === 'CONNECT') {
    return { ...event, queryStringParameters: { ...(event.queryStringParameters as Json), token: idToken } };
  }
  return {
    ...event,
    headers: { ...(event.headers as Json), authorization: `Bearer ${idToken}` },
    requestContext: { ...requestContext, authorizer: { jwt: { claims, scopes: null } } },
  };
};

/**
 * Runs `serverless invoke local --stage local` for one function of one service against the running
 * local system: the endpoints and the function credentials (of its own packaged role) the system
 * gives that service, and the event made real for `request.as` first. With `output: 'inherit'` the
 * output goes to this process's own (the command-line tool); otherwise it is returned.
 */
export const invokeLocal = async (
  info: StackInfo,
  request: InvokeLocalRequest,
  options: { dataDir?: string; output?: 'inherit' | 'capture' } = {},
): Promise<InvokeLocalResult> => {
  const key = (Object.keys(SERVICES) as ServiceKey[]).find(
    (k) => SERVICES[k].dir === `services/${request.service}`,
  );
  if (!key) throw new Error(`No service ${request.service} (one of ${INVOKABLE_SERVICES.join(', ')})`);
  const serviceDir = join(REPO_ROOT, SERVICES[key].dir);
  const file = (
    isAbsolute(request.event)
      ? [request.event]
      : [resolve(process.cwd(), request.event), join(serviceDir, request.event)]
  ).find((path) => existsSync(path));
  if (!file) throw new Error(`No event file ${request.event}`);
  let event = JSON.parse(await readFile(file, 'utf8')) as Json;
  if (request.as) event = await actAs(info, request.as, event, options.dataDir ?? defaultDataDir());

  const eventDir = await mkdtemp(join(tmpdir(), 'invoke-local-'));
  const eventFile = join(eventDir, 'event.json');
  await writeFile(eventFile, JSON.stringify(event));
  // Its own esbuild work folder (serverless.yml reads TA_ESBUILD_WORK_FOLDER): invocations running
  // at once in one service folder, or the running system's serverless offline, would otherwise
  // rebuild each other's bundles away.
  const workFolder = `.esbuild-invoke-${process.pid}-${eventDir.slice(-6)}`;
  try {
    const child = spawn(
      join(serviceDir, 'node_modules', '.bin', 'serverless'),
      ['invoke', 'local', '--stage', 'local', '-f', request.fn, '-p', eventFile],
      {
        cwd: serviceDir,
        env: { ...localServiceEnv(info, key), TA_ESBUILD_WORK_FOLDER: workFolder },
        stdio: options.output === 'inherit' ? 'inherit' : ['ignore', 'pipe', 'pipe'],
      },
    );
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout?.on('data', (data: Buffer) => stdout.push(data));
    child.stderr?.on('data', (data: Buffer) => stderr.push(data));
    const status = await new Promise<number>((done, fail) => {
      child.once('error', fail);
      child.once('close', (code) => done(code ?? 1));
    });
    return { status, stdout: Buffer.concat(stdout).toString(), stderr: Buffer.concat(stderr).toString() };
  } finally {
    await rm(join(serviceDir, workFolder), { recursive: true, force: true });
    await rm(eventDir, { recursive: true, force: true });
  }
};
