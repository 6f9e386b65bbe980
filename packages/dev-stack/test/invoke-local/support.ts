import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { ServerlessConfig } from '@tenant-assistant/local-stack';
import { invokeLocalResponse } from '@tenant-assistant/testing';
import { type InvokeLocalRequest, invokeLocal } from '../../src/invoke-local';
import { SERVICES } from '../../src/stack';
import { REPO_ROOT } from '../../src/state';
import type { TestSystem } from '../support/system';

// Three invocations at a time: each is a `serverless invoke local` process that bundles its function.
const CONCURRENCY = 3;

export interface Invocation {
  /** The function's result as `serverless invoke local` printed it (undefined: it printed none). */
  response: unknown;
  /** The handlers' structured log lines. */
  logs: string[];
}

/** What `./scripts/invoke-local <service> <fn> <event> [--as <user>]` runs, against the suite's system. */
const invoke = async (system: TestSystem, request: InvokeLocalRequest): Promise<Invocation> => {
  const { status, stdout, stderr } = await invokeLocal(system.stack.info, request, {
    dataDir: system.dataDir,
  });
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
export const http = (invocation: Invocation) => {
  const { statusCode, body } = invocation.response as HttpResponse;
  return { statusCode, body: typeof body === 'string' ? (JSON.parse(body) as unknown) : body };
};

/** What the action group told Bedrock: its response state and parsed body. */
export const actionGroupBody = (invocation: Invocation) => {
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
export const declaredFunctions = () =>
  Object.values(SERVICES)
    .flatMap(({ dir }) =>
      Object.keys(ServerlessConfig.load(join(REPO_ROOT, dir, 'serverless.yml')).raw.functions as object).map(
        (fn) => `${dir.split('/')[1]}/${fn}`,
      ),
    )
    .sort();

/** The dev tools' view of the system's data (admin key), to read back side effects. */
export const documents = ({ stack }: TestSystem) =>
  DynamoDBDocumentClient.from(
    new DynamoDBClient({
      region: stack.info.region,
      endpoint: stack.info.dynamodbUrl,
      credentials: stack.info.adminCredentials,
    }),
  );
export const cognito = ({ stack }: TestSystem) =>
  new CognitoIdentityProviderClient({
    region: stack.info.region,
    endpoint: stack.info.cognitoUrl,
    credentials: stack.info.adminCredentials,
  });

export type Sample = [service: string, fn: string, event: string, as?: string];
const request = ([service, fn, event, as]: Sample): InvokeLocalRequest => ({
  service,
  fn,
  event,
  ...(as ? { as } : {}),
});
const keyOf = ([service, fn, event, as]: Sample) => `${service}/${fn} ${event}${as ? ` --as ${as}` : ''}`;

/** Every function's samples, made real for a seeded user where the event needs one. */
export const SAMPLES: Sample[] = [
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
export const FOLLOW_UPS: Sample[] = [
  ['auth', 'createTenantUser', 'events/create-tenant-user.json'],
  ['chat-api', 'listAnswers', 'events/listAnswers.json', 'tenant1-user'],
  ['chat-api', 'listConversations', 'events/listConversations.json', 'tenant1-user'],
];

/** What the suite's invocations left to assess, once {@link useInvocations}' hook has run. */
export interface Invocations {
  /** The invocation of one sample. */
  result(...sample: Sample): Invocation;
  /** The HTTP response of one sample's invocation, its body parsed. */
  http(...sample: Sample): { statusCode: number; body: unknown };
  /** getAnswer with the sample's event for the answer submitPrompt created (written by the suite). */
  readonly ownAnswer: Invocation;
  /** What submitPrompt's sample created. */
  readonly submitted: { answerId: string; conversationId: string };
}

/**
 * Registers the hook that runs every sample against `system` (the follow-ups after what they need),
 * and getAnswer for the caller's own answer.
 */
export const useInvocations = (system: TestSystem): Invocations => {
  const results = new Map<string, Invocation>();
  const result = (...sample: Sample) => {
    const found = results.get(keyOf(sample));
    if (!found) throw new Error(`${keyOf(sample)} did not run`);
    return found;
  };
  let ownAnswer: Invocation | undefined;
  let submitted: Invocations['submitted'] | undefined;

  beforeAll(async () => {
    const started = Date.now();
    const runAll = async (samples: Sample[]) => {
      const invocations = await inBatches(
        CONCURRENCY,
        samples.map((sample) => () => invoke(system, request(sample))),
      );
      for (const [index, sample] of samples.entries())
        results.set(keyOf(sample), invocations[index] as Invocation);
    };
    // offboardTenant acts only on a tenant auth's registry marks as offboarded: its sample's tenant
    // (tenant9, never seeded) gets the tombstone an earlier offboarding would have left.
    await documents(system).send(
      new PutCommand({
        TableName: 'tenant-assistant-auth-local-tenants',
        Item: { tenantId: 'tenant9', status: 'OFFBOARDED' },
      }),
    );
    await runAll(SAMPLES);
    const created = http(result('chat-api', 'submitPrompt', 'events/submitPrompt.json', 'tenant1-user'))
      .body as Invocations['submitted'];
    submitted = created;
    const sample = JSON.parse(
      await readFile(join(REPO_ROOT, 'services/chat-api/events/getAnswer.json'), 'utf8'),
    ) as {
      rawPath: string;
      pathParameters: Record<string, string>;
      requestContext: { http: { path: string } };
    };
    const path = `/answers/${created.answerId}`;
    sample.rawPath = path;
    sample.requestContext.http.path = path;
    sample.pathParameters.answerId = created.answerId;
    const ownEvent = join(system.dataDir, 'get-own-answer.json');
    await writeFile(ownEvent, JSON.stringify(sample));
    const [own] = await Promise.all([
      invoke(system, { service: 'chat-api', fn: 'getAnswer', event: ownEvent, as: 'tenant1-user' }),
      runAll(FOLLOW_UPS),
    ]);
    ownAnswer = own;
    console.log(`${results.size + 1} invocations in ${Math.round((Date.now() - started) / 1000)} s`);
  }, 900_000);

  const ran = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the invocations did not run');
    return value;
  };
  return {
    result,
    http: (...sample: Sample) => http(result(...sample)),
    get ownAnswer() {
      return ran(ownAnswer);
    },
    get submitted() {
      return ran(submitted);
    },
  };
};
