import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AdminGetUserCommand,
  CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { ServerlessConfig } from '@tenant-assistant/local-stack';
import { invokeLocalResponse } from '@tenant-assistant/testing';
import { getAnswer, sessionCache } from '../src/client';
import { type InvokeLocalRequest, invokeLocal } from '../src/invoke-local';
import { findTenantUser } from '../src/orders';
import { TEST_PORT_OFFSETS, testPorts } from '../src/ports';
import { KNOWN_DEV_PASSWORD, seedStack } from '../src/seed';
import { type RunningStack, SERVICES, startStack } from '../src/stack';
import { REPO_ROOT } from '../src/state';

// `./scripts/invoke-local` for every function of every service, each with its sample event from the
// service's `events/`, against a running local system the suite starts and seeds: each function runs
// as its own packaged role (the local serverless plugin gives it that role's credentials) and each
// result is asserted — status and body, refusals, and the side effects in the stand-ins. The samples
// that create things use tenants the seed does not (tenant4, tenant5), so they run after seeding.
// Three invocations at a time: each is a `serverless invoke local` process that bundles its function.

const CONCURRENCY = 3;

// Bounded by the hook's timeout: the 22 invocations took 557 and 568 s on a 2-core machine that was
// running other suites at the same time.
jest.setTimeout(900_000);

let stack: RunningStack;
let dataDir: string;
const { session } = sessionCache(() => stack.info, KNOWN_DEV_PASSWORD);

interface Invocation {
  /** The function's result as `serverless invoke local` printed it (undefined: it printed none). */
  response: unknown;
  /** The handlers' structured log lines. */
  logs: string[];
}

/** What `./scripts/invoke-local <service> <fn> <event> [--as <user>]` runs, against the suite's system. */
const invoke = async (request: InvokeLocalRequest): Promise<Invocation> => {
  const { status, stdout, stderr } = await invokeLocal(stack.info, request, { dataDir });
  if (status !== 0) throw new Error(`invoke-local ${JSON.stringify(request)} exited ${status}:\n${stderr}`);
  return {
    response: invokeLocalResponse(stdout),
    logs: `${stdout}\n${stderr}`.split('\n').filter((line) => line.startsWith('{"level"')),
  };
};

/** Runs `tasks` with at most `limit` at once, keeping their order in the results. */
const inBatches = async <T>(limit: number, tasks: (() => Promise<T>)[]): Promise<T[]> => {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const index = next++;
      results[index] = await (tasks[index] as () => Promise<T>)();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
};

type HttpResponse = { statusCode: number; body: unknown };
/** serverless invoke local prints an HTTP response's JSON body parsed. */
const http = (invocation: Invocation) => {
  const { statusCode, body } = invocation.response as HttpResponse;
  return { statusCode, body: typeof body === 'string' ? (JSON.parse(body) as unknown) : body };
};

/** What the action group told Bedrock: its response state and parsed body. */
const actionGroupBody = (invocation: Invocation) => {
  const { functionResponse } = (
    invocation.response as {
      response: { functionResponse: { responseState?: string; responseBody: { TEXT: { body: string } } } };
    }
  ).response;
  return {
    state: functionResponse.responseState,
    body: JSON.parse(functionResponse.responseBody.TEXT.body) as unknown,
  };
};

/** The functions each service's serverless.yml declares (`<service>/<function>`). */
const declaredFunctions = () =>
  Object.values(SERVICES)
    .flatMap(({ dir }) =>
      Object.keys(ServerlessConfig.load(join(REPO_ROOT, dir, 'serverless.yml')).raw.functions as object).map(
        (fn) => `${dir.split('/')[1]}/${fn}`,
      ),
    )
    .sort();

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'tenant-assistant-invoke-local-'));
  stack = await startStack({
    dataDir,
    inMemory: true,
    web: false,
    ports: testPorts(TEST_PORT_OFFSETS.invokeLocal),
  });
  await seedStack(stack.info, { knownPasswords: true, dataDir });
}, 300_000);

/** The dev tools' view of the system's data (admin key), to read back side effects. */
const documents = () =>
  DynamoDBDocumentClient.from(
    new DynamoDBClient({
      region: stack.info.region,
      endpoint: stack.info.dynamodbUrl,
      credentials: stack.info.adminCredentials,
    }),
  );
const cognito = () =>
  new CognitoIdentityProviderClient({
    region: stack.info.region,
    endpoint: stack.info.cognitoUrl,
    credentials: stack.info.adminCredentials,
  });

afterAll(async () => {
  await stack?.close();
  await rm(dataDir, { recursive: true, force: true });
}, 60_000);

type Sample = [service: string, fn: string, event: string, as?: string];
const request = ([service, fn, event, as]: Sample): InvokeLocalRequest => ({
  service,
  fn,
  event,
  ...(as ? { as } : {}),
});
const keyOf = ([service, fn, event, as]: Sample) => `${service}/${fn} ${event}${as ? ` --as ${as}` : ''}`;

/** Every function's samples, made real for a seeded user where the event needs one. */
const SAMPLES: Sample[] = [
  ['auth', 'preTokenGeneration', 'events/pre-token-generation.json'],
  ['auth', 'onboardTenant', 'events/onboard-tenant.json'],
  ['auth', 'adminMe', 'events/admin-me.json', 'tenant1-admin'],
  ['auth', 'tenantsAdmin', 'events/get-tenant.json', 'platform-admin'],
  ['auth', 'usersAdmin', 'events/list-users.json', 'tenant1-admin'],
  ['auth', 'offboardingReports', 'events/offboarding-report.json'],
  ['chat-api', 'submitPrompt', 'events/submitPrompt.json', 'tenant1-user'],
  ['chat-api', 'getAnswer', 'events/getAnswer.json', 'tenant1-user'],
  ['chat-api', 'sweepAnswers', 'events/sweepAnswers.json'],
  ['chat-api', 'wsConnect', 'events/wsConnect.json', 'tenant1-user'],
  ['chat-api', 'wsDisconnect', 'events/wsDisconnect.json'],
  ['chat-api', 'onAnswerEvent', 'events/onAnswerEvent.json', 'tenant1-user'],
  ['chat-api', 'onAnswerEvent', 'events/onAnswerEvent-forged.json'],
  ['chat-api', 'getUsage', 'events/getUsage.json', 'tenant1-admin'],
  ['chat-api', 'offboardTenant', 'events/offboardTenant.json'],
  ['agent-invoker', 'invokeAgent', 'events/prompt-submitted.json', 'tenant2-user'],
  ['agent-invoker', 'invokeAgent', 'events/prompt-submitted-not-owned.json'],
  ['order-action-group', 'actionGroup', 'events/get-return-policy.json', 'tenant2-user'],
  ['order-action-group', 'actionGroup', 'events/list-orders.json', 'tenant1-user'],
  ['order-action-group', 'actionGroup', 'events/get-order-spoofed-identity.json', 'tenant1-user'],
  ['order-action-group', 'provisionTenant', 'events/tenant-onboarded.json'],
];
/**
 * Those that need what the samples above made: tenant4 (onboardTenant), the answer and conversation
 * of submitPrompt (its sample's conversation is the one listAnswers' sample names).
 */
const FOLLOW_UPS: Sample[] = [
  ['auth', 'createTenantUser', 'events/create-tenant-user.json'],
  ['chat-api', 'listAnswers', 'events/listAnswers.json', 'tenant1-user'],
  ['chat-api', 'listConversations', 'events/listConversations.json', 'tenant1-user'],
];

describe('scripts/invoke-local against the running local system', () => {
  const results = new Map<string, Invocation>();
  const result = (...sample: Sample) => {
    const found = results.get(keyOf(sample));
    if (!found) throw new Error(`${keyOf(sample)} did not run`);
    return found;
  };
  /** getAnswer with the sample's event for the answer submitPrompt created (written by the suite). */
  let ownAnswer: Invocation;
  let submitted: { answerId: string; conversationId: string };

  beforeAll(async () => {
    const started = Date.now();
    const runAll = async (samples: Sample[]) => {
      const invocations = await inBatches(
        CONCURRENCY,
        samples.map((sample) => () => invoke(request(sample))),
      );
      for (const [index, sample] of samples.entries())
        results.set(keyOf(sample), invocations[index] as Invocation);
    };
    await runAll(SAMPLES);
    submitted = http(result('chat-api', 'submitPrompt', 'events/submitPrompt.json', 'tenant1-user'))
      .body as typeof submitted;
    const sample = JSON.parse(
      await readFile(join(REPO_ROOT, 'services/chat-api/events/getAnswer.json'), 'utf8'),
    ) as {
      rawPath: string;
      pathParameters: Record<string, string>;
      requestContext: { http: { path: string } };
    };
    const path = `/answers/${submitted.answerId}`;
    sample.rawPath = path;
    sample.requestContext.http.path = path;
    sample.pathParameters.answerId = submitted.answerId;
    const ownEvent = join(dataDir, 'get-own-answer.json');
    await writeFile(ownEvent, JSON.stringify(sample));
    const [own] = await Promise.all([
      invoke({ service: 'chat-api', fn: 'getAnswer', event: ownEvent, as: 'tenant1-user' }),
      runAll(FOLLOW_UPS),
    ]);
    ownAnswer = own;
    console.log(`${results.size + 1} invocations in ${Math.round((Date.now() - started) / 1000)} s`);
  }, 900_000);

  test('runs every function of every service', () => {
    // Act
    const declared = declaredFunctions();
    const run = [...new Set([...SAMPLES, ...FOLLOW_UPS].map(([service, fn]) => `${service}/${fn}`))];
    // Assess
    expect(run.sort()).toEqual(declared);
    expect(declared).toHaveLength(20);
  });

  test('leaves no esbuild work folder of its own behind', async () => {
    // Act
    const left: string[] = [];
    for (const { dir } of Object.values(SERVICES)) {
      for (const entry of await readdir(join(REPO_ROOT, dir)))
        if (entry.startsWith('.esbuild-invoke-')) left.push(`${dir}/${entry}`);
    }
    // Assess
    expect(left).toEqual([]);
  });

  test('auth: preTokenGeneration adds the seeded tenant to both tokens', () => {
    // Act
    const { response } = result('auth', 'preTokenGeneration', 'events/pre-token-generation.json') as {
      response: {
        response: { claimsAndScopeOverrideDetails: Record<string, { claimsToAddOrOverride: unknown }> };
      };
    };
    // Assess
    const claims = { claimsToAddOrOverride: { tenantId: 'tenant1', tenantRole: 'tenant-tenant1' } };
    expect(response.response.claimsAndScopeOverrideDetails).toEqual({
      idTokenGeneration: claims,
      accessTokenGeneration: claims,
    });
  });

  test('auth: onboardTenant onboards tenant4, and order-action-group provisions it from the event', async () => {
    // Act
    const { response } = result('auth', 'onboardTenant', 'events/onboard-tenant.json');
    const { Item } = await documents().send(
      new GetCommand({ TableName: stack.info.tenantConfigTableName, Key: { tenantId: 'tenant4' } }),
    );
    // Assess
    expect(response).toEqual({
      tenant: { tenantId: 'tenant4', name: 'Tenant Four', returnPolicyDays: 10, tier: 'standard' },
      groupName: 'tenant-tenant4',
      created: true,
    });
    expect(Item).toMatchObject({ tenantId: 'tenant4', returnPolicyDays: 10 });
  });

  test('auth: createTenantUser creates tenant4-user in tenant4', async () => {
    // Act
    const { response } = result('auth', 'createTenantUser', 'events/create-tenant-user.json');
    const user = await cognito().send(
      new AdminGetUserCommand({ UserPoolId: stack.info.userPoolId, Username: 'tenant4-user' }),
    );
    // Assess
    expect(response).toMatchObject({ username: 'tenant4-user', tenantId: 'tenant4' });
    expect(user.UserAttributes).toContainEqual({ Name: 'custom:tenantId', Value: 'tenant4' });
  });

  test('auth: adminMe tells a tenant admin their roles', () => {
    // Act
    const { statusCode, body } = http(result('auth', 'adminMe', 'events/admin-me.json', 'tenant1-admin'));
    // Assess
    expect(statusCode).toBe(200);
    expect(body).toEqual({
      username: 'tenant1-admin',
      tenantId: 'tenant1',
      roles: { platformAdmin: false, tenantAdmin: true },
    });
  });

  test('auth: tenantsAdmin gives a platform admin the seeded tenant1', () => {
    // Act
    const { statusCode, body } = http(
      result('auth', 'tenantsAdmin', 'events/get-tenant.json', 'platform-admin'),
    );
    // Assess
    expect(statusCode).toBe(200);
    expect(body).toMatchObject({
      tenantId: 'tenant1',
      name: 'Tenant One',
      status: 'ACTIVE',
      returnPolicyDays: 10,
    });
  });

  test('auth: usersAdmin lists the tenant admin’s own tenant only', () => {
    // Act
    const { statusCode, body } = http(
      result('auth', 'usersAdmin', 'events/list-users.json', 'tenant1-admin'),
    );
    const usernames = JSON.stringify(body);
    // Assess
    expect(statusCode).toBe(200);
    for (const own of ['tenant1-user', 'tenant1-user2', 'tenant1-admin'])
      expect(usernames).toContain(`"${own}"`);
    expect(usernames).not.toContain('tenant2-');
  });

  test('chat-api: submitPrompt accepts the prompt, and the system answers it', async () => {
    // Act
    const { statusCode, body } = http(
      result('chat-api', 'submitPrompt', 'events/submitPrompt.json', 'tenant1-user'),
    );
    const { userId } = await findTenantUser(cognito(), stack.info.userPoolId, 'tenant1-user');
    // Assess
    expect(statusCode).toBe(202);
    expect(body).toMatchObject({ answerId: expect.stringMatching(new RegExp(`^${userId}\\.`)) });
    expect(http(ownAnswer)).toMatchObject({ statusCode: 200, body: { answerId: submitted.answerId } });
    await expect(
      getAnswer(stack.info, await session('tenant1-user'), submitted.answerId),
    ).resolves.toMatchObject({
      answerId: submitted.answerId,
    });
  });

  test('chat-api: getAnswer answers 404 for the sample’s answer, which is not the caller’s', () => {
    // Act
    const { statusCode, body } = http(
      result('chat-api', 'getAnswer', 'events/getAnswer.json', 'tenant1-user'),
    );
    // Assess
    expect(statusCode).toBe(404);
    expect(body).toMatchObject({ error: { code: 'ANSWER_NOT_FOUND' } });
  });

  test('chat-api: getUsage shows a tenant admin their own tenant’s month, every day of it', () => {
    // Act
    const { statusCode, body } = http(
      result('chat-api', 'getUsage', 'events/getUsage.json', 'tenant1-admin'),
    );
    // Assess
    expect(statusCode).toBe(200);
    expect(body).toMatchObject({ tenantId: 'tenant1', month: '2025-03' });
    expect((body as { days: unknown[] }).days).toHaveLength(31);
  });

  test('auth: offboardingReports ignores a report for a tenant that is not being offboarded', () => {
    // Act
    const { response } = result('auth', 'offboardingReports', 'events/offboarding-report.json');
    // Assess
    expect(response).toEqual({ tenantId: 'tenant3', status: 'ACTIVE' });
  });

  test('chat-api: offboardTenant deletes nothing of a tenant that has no data, and says so', () => {
    // Act
    const { response } = result('chat-api', 'offboardTenant', 'events/offboardTenant.json') as {
      response: { tenantId: string; deleted: Record<string, number> };
    };
    // Assess
    expect(response.tenantId).toBe('tenant9');
    expect(Object.values(response.deleted).every((count) => count === 0)).toBe(true);
    expect(Object.keys(response.deleted).length).toBeGreaterThan(0);
  });

  test('chat-api: listAnswers and listConversations return the caller’s history', () => {
    // Act
    const answers = http(result('chat-api', 'listAnswers', 'events/listAnswers.json', 'tenant1-user'));
    const conversations = http(
      result('chat-api', 'listConversations', 'events/listConversations.json', 'tenant1-user'),
    );
    // Assess
    expect(answers.statusCode).toBe(200);
    expect((answers.body as { answers: { answerId: string }[] }).answers).toContainEqual(
      expect.objectContaining({ answerId: submitted.answerId }),
    );
    expect(conversations.statusCode).toBe(200);
    expect(
      (conversations.body as { conversations: { conversationId: string }[] }).conversations,
    ).toContainEqual(expect.objectContaining({ conversationId: submitted.conversationId }));
  });

  test('chat-api: sweepAnswers sweeps (nothing is overdue)', () => {
    // Act
    const { response } = result('chat-api', 'sweepAnswers', 'events/sweepAnswers.json');
    // Assess
    expect(response).toMatchObject({ found: 0, expired: 0, delivered: 0 });
  });

  test('chat-api: wsConnect accepts a signed-in user, wsDisconnect lets the connection go', () => {
    // Act / Assess
    expect(result('chat-api', 'wsConnect', 'events/wsConnect.json', 'tenant1-user').response).toMatchObject({
      statusCode: 200,
    });
    expect(result('chat-api', 'wsDisconnect', 'events/wsDisconnect.json').response).toMatchObject({
      statusCode: 200,
    });
  });

  test('chat-api: onAnswerEvent applies its owner’s event to no answer that is not stored, and refuses a forged one', () => {
    // Act
    const owned = result('chat-api', 'onAnswerEvent', 'events/onAnswerEvent.json', 'tenant1-user');
    const forged = result('chat-api', 'onAnswerEvent', 'events/onAnswerEvent-forged.json');
    // Assess
    expect(owned.response).toEqual({ applied: false, reason: 'missing' });
    expect(forged.response).toMatchObject({ refused: true });
  });

  test('agent-invoker: invokeAgent answers tenant2-user’s prompt, and refuses an answer not owned by its user', () => {
    // Act
    const answered = result('agent-invoker', 'invokeAgent', 'events/prompt-submitted.json', 'tenant2-user');
    const notOwned = result('agent-invoker', 'invokeAgent', 'events/prompt-submitted-not-owned.json');
    // Assess
    expect(answered.response).toMatchObject({ outcome: 'completed' });
    expect(notOwned.response).toMatchObject({ outcome: 'refused' });
  });

  test('order-action-group: actionGroup reads the caller’s own tenant and orders, and ignores identity in parameters', () => {
    // Act
    const policy = actionGroupBody(
      result('order-action-group', 'actionGroup', 'events/get-return-policy.json', 'tenant2-user'),
    );
    const orders = actionGroupBody(
      result('order-action-group', 'actionGroup', 'events/list-orders.json', 'tenant1-user'),
    );
    const spoofed = actionGroupBody(
      result('order-action-group', 'actionGroup', 'events/get-order-spoofed-identity.json', 'tenant1-user'),
    );
    // Assess
    expect(policy).toMatchObject({ body: { returnPolicyDays: 20 } });
    // tenant1-user's two seeded orders (42.5 and 129.99), not tenant1-user2's (15).
    expect(orders.body).toMatchObject({ count: 2 });
    expect(
      (orders.body as { orders: { total: number }[] }).orders
        .map((order) => order.total)
        .sort((a, b) => a - b),
    ).toEqual([42.5, 129.99]);
    // o-2001 looked up as tenant1-user's own (the tenantId and userId parameters are ignored): none.
    expect(spoofed.body).toEqual({ error: 'NOT_FOUND', message: 'Order not found' });
  });

  test('order-action-group: provisionTenant provisions tenant5', async () => {
    // Act
    const { response } = result('order-action-group', 'provisionTenant', 'events/tenant-onboarded.json');
    const { Item } = await documents().send(
      new GetCommand({ TableName: stack.info.tenantConfigTableName, Key: { tenantId: 'tenant5' } }),
    );
    // Assess
    expect(response).toMatchObject({ tenantId: 'tenant5' });
    expect(Item).toMatchObject({ tenantId: 'tenant5', name: 'Tenant Five' });
  });
});
