/**
 * invoke-local <service> <function> <event.json> [--as <username>]
 * Runs `serverless invoke local --stage local` for one function of one service against the
 * running local system (same endpoints and credentials the system gives that service). With
 * --as, the sample event is made real for that seeded user first: a fresh ID token for HTTP and
 * WebSocket events, fresh tenant-scoped credentials for action-group events, the user's tenant,
 * sub and a new answer id for EventBridge events.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { newAnswerId } from '@tenant-assistant/tenant-context';
import { toSessionAttributes } from '@tenant-assistant/tenant-context/credentials';
import { signIn } from '../client';
import { findTenantUser } from '../orders';
import { localScopedCredentialsProvider, localServiceEnv, SERVICES, type ServiceKey } from '../stack';
import { REPO_ROOT, readStackInfo, type StackInfo } from '../state';
import { readSeededUsers } from '../users';

const usage = `Usage: invoke-local <${Object.values(SERVICES)
  .map((s) => s.dir.split('/')[1])
  .join('|')}> <function> <event.json> [--as <username>]`;

type Json = Record<string, unknown>;

const actAs = async (info: StackInfo, username: string, event: Json): Promise<Json> => {
  const credentials = info.adminCredentials;
  const cognito = new CognitoIdentityProviderClient({
    region: info.region,
    endpoint: info.cognitoUrl,
    credentials,
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
  const password = readSeededUsers().find((u) => u.username === username)?.password;
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

const main = async () => {
  const { positionals, values } = parseArgs({ allowPositionals: true, options: { as: { type: 'string' } } });
  const [serviceName, fn, eventPath] = positionals;
  const key = (Object.keys(SERVICES) as ServiceKey[]).find(
    (k) => SERVICES[k].dir === `services/${serviceName}`,
  );
  if (!key || !fn || !eventPath || positionals.length !== 3) throw new Error(usage);
  const info = readStackInfo();
  const serviceDir = join(REPO_ROOT, SERVICES[key].dir);
  const candidates = isAbsolute(eventPath)
    ? [eventPath]
    : [resolve(process.cwd(), eventPath), join(serviceDir, eventPath)];
  const file = candidates.find((path) => {
    try {
      readFileSync(path);
      return true;
    } catch {
      return false;
    }
  });
  if (!file) throw new Error(`No event file ${eventPath}`);
  let event = JSON.parse(readFileSync(file, 'utf8')) as Json;
  if (values.as) event = await actAs(info, values.as, event);
  const eventFile = join(mkdtempSync(join(tmpdir(), 'invoke-local-')), 'event.json');
  writeFileSync(eventFile, JSON.stringify(event));
  const result = spawnSync(
    join(serviceDir, 'node_modules', '.bin', 'serverless'),
    ['invoke', 'local', '--stage', 'local', '-f', fn, '-p', eventFile],
    { cwd: serviceDir, env: localServiceEnv(info, key), stdio: 'inherit' },
  );
  process.exit(result.status ?? 1);
};

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
