import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import {
  LOCAL_ACCOUNT_ID,
  LOCAL_REGION,
  type LocalEventBridge,
  type LocalSts,
  multivaluedKeyProblems,
  startLocalEventBridge,
  startLocalSts,
} from '@tenant-assistant/local-stack';
import { type CfnTemplate, packageService } from '@tenant-assistant/testing';
import { type LocalIam, localIamOf, packagedTemplate } from '../src/roles';
import { REPO_ROOT } from '../src/state';

/**
 * Each function runs locally as its own role as packaged: a permission removed from a copy of a
 * service's serverless.yml makes the local call fail with AccessDenied, naming the action — the
 * same call that succeeds with the service as it is.
 */
jest.setTimeout(300_000);

const STAGE = 'local';
const context = { accountId: LOCAL_ACCOUNT_ID, region: LOCAL_REGION, stage: STAGE };

/** Removes the policy statement with this Sid (its `- Sid:` line and everything indented under it). */
const withoutStatement = (text: string, sid: string): string => {
  const lines = text.split('\n');
  const start = lines.findIndex((line) => new RegExp(`^\\s*- Sid: ${sid}\\s*$`).test(line));
  if (start < 0) throw new Error(`No statement ${sid}`);
  const indent = (lines[start] as string).indexOf('-');
  const indentOf = (line: string) => line.length - line.trimStart().length;
  let end = start + 1;
  while (
    end < lines.length &&
    ((lines[end] as string).trim() === '' || indentOf(lines[end] as string) > indent)
  )
    end += 1;
  return [...lines.slice(0, start), ...lines.slice(end)].join('\n');
};

/** A throw-away copy of a service with one file edited, packaged for the local stage. */
const packageEditedCopy = async (service: string, file: string, edit: (text: string) => string) => {
  const source = join(REPO_ROOT, 'services', service);
  const work = mkdtempSync(join(tmpdir(), 'edited-service-'));
  const copy = join(work, service);
  for (const entry of readdirSync(source)) {
    if (
      ['node_modules', '.serverless', '.esbuild', 'coverage'].includes(entry) ||
      entry.startsWith('.jest-results')
    )
      continue;
    cpSync(join(source, entry), join(copy, entry), { recursive: true });
  }
  symlinkSync(join(source, 'node_modules'), join(copy, 'node_modules'), 'dir');
  const path = join(copy, file);
  const before = readFileSync(path, 'utf8');
  const after = edit(before);
  expect(after).not.toBe(before);
  writeFileSync(path, after);
  try {
    return await packageService(copy, { stage: STAGE });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
};

interface Stand {
  iam: LocalIam;
  sts: LocalSts;
  bus: LocalEventBridge;
  /** Credentials of a function's own role session, as the local system gives them. */
  credentialsOf(
    functionName: string,
  ): Promise<{ accessKeyId: string; secretAccessKey: string; sessionToken: string }>;
  close(): Promise<void>;
}

const stand = async (templates: Record<string, CfnTemplate>): Promise<Stand> => {
  const iam = localIamOf(templates, context);
  const sts = await startLocalSts({ port: 0, roles: iam.roles, requireKnownCallers: true });
  const bus = await startLocalEventBridge({
    port: 0,
    rules: [],
    invoke: async () => undefined,
    iam: { sessions: sts.sessions, roles: iam.roles, busPolicies: iam.busPolicies },
  });
  return {
    iam,
    sts,
    bus,
    credentialsOf: async (functionName) => {
      const fn = iam.functions.find((f) => f.functionName === functionName);
      if (!fn) throw new Error(`No function ${functionName} in ${iam.functions.map((f) => f.functionName)}`);
      return sts.issueServiceSession({ roleArn: fn.roleArn, roleSessionName: functionName });
    },
    close: async () => {
      await bus.close();
      await sts.close();
    },
  };
};

/** A client's settings for one call to a stand-in at `endpoint` as `functionName`'s own role session. */
const asFunction = async (target: Stand, functionName: string, endpoint: string) => ({
  endpoint,
  region: LOCAL_REGION,
  credentials: await target.credentialsOf(functionName),
  maxAttempts: 1,
});

/** Sends one command with `client`, then lets the client go. */
const sendOnce = async <T>(client: { destroy(): void }, send: () => Promise<T>): Promise<T> => {
  try {
    return await send();
  } finally {
    client.destroy();
  }
};

const publishPrompt = async (target: Stand) => {
  const client = new EventBridgeClient(
    await asFunction(target, 'tenant-assistant-chat-api-local-submitPrompt', target.bus.url),
  );
  return sendOnce(client, () =>
    client.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: 'tenant-assistant-local',
            Source: 'tenant-assistant.chat-api',
            DetailType: 'PromptSubmitted',
            Detail: JSON.stringify({ tenantId: 'tenant1' }),
          },
        ],
      }),
    ),
  );
};

const assumeDataAccessRole = async (target: Stand) => {
  const client = new STSClient(
    await asFunction(target, 'tenant-assistant-agent-invoker-local-invokeAgent', target.sts.url),
  );
  return sendOnce(client, () =>
    client.send(
      new AssumeRoleCommand({
        RoleArn: `arn:aws:iam::${LOCAL_ACCOUNT_ID}:role/tenant-assistant-order-action-group-local-data-access`,
        RoleSessionName: 'tenant1.user-1',
        Tags: [
          { Key: 'tenantId', Value: 'tenant1' },
          { Key: 'userId', Value: '11111111-1111-4111-8111-111111111111' },
        ],
      }),
    ),
  );
};

describe('functions running as their own packaged role', () => {
  const services = ['auth', 'chat-api', 'agent-invoker', 'order-action-group'] as const;
  let packaged: Record<string, CfnTemplate>;

  beforeAll(async () => {
    packaged = Object.fromEntries(
      await Promise.all(
        services.map(async (service) => [
          service,
          await packagedTemplate(join(REPO_ROOT, 'services', service), STAGE),
        ]),
      ),
    );
  });

  it('gives every packaged function its own execution role', () => {
    // Act
    const { functions, roles } = localIamOf(packaged, context);

    // Assess: every function, none without a modelled role, no role shared across services.
    expect(functions.map((f) => f.functionName)).toEqual(
      expect.arrayContaining([
        'tenant-assistant-chat-api-local-submitPrompt',
        'tenant-assistant-agent-invoker-local-invokeAgent',
        'tenant-assistant-order-action-group-local-actionGroup',
        'tenant-assistant-auth-local-preTokenGeneration',
      ]),
    );
    for (const fn of functions) expect(roles[fn.roleArn]?.trustPolicy).toBeDefined();
  });

  it('uses ForAllValues/ForAnyValue for every multivalued condition key in every packaged policy', async () => {
    // Prepare
    const { roles, busPolicies } = localIamOf(packaged, context);
    const documents = [
      ...Object.entries(roles).flatMap(([arn, role]) => [
        ...(role.trustPolicy ? [{ where: `${arn} (trust)`, document: role.trustPolicy }] : []),
        ...role.policies.map((policy) => ({ where: `${arn} (${policy.name})`, document: policy.document })),
      ]),
      ...Object.entries(busPolicies).map(([bus, document]) => ({ where: `event-bus/${bus}`, document })),
    ];

    // Act
    const problems = (
      await Promise.all(documents.map(({ where, document }) => multivaluedKeyProblems(document, where)))
    ).flat();

    // Assess
    expect(documents.length).toBeGreaterThan(10);
    expect(problems.map((problem) => problem.message)).toEqual([]);
  });

  describe('chat-api without its PublishPromptSubmitted statement', () => {
    let original: Stand;
    let edited: Stand;

    beforeAll(async () => {
      const copy = await packageEditedCopy('chat-api', 'resources/roles.yml', (text) =>
        withoutStatement(text, 'PublishPromptSubmitted'),
      );
      [original, edited] = await Promise.all([stand(packaged), stand({ ...packaged, 'chat-api': copy })]);
    });

    afterAll(async () => {
      await original?.close();
      await edited?.close();
    });

    it('lets submitPrompt publish PromptSubmitted as packaged', async () => {
      // Act
      const result = await publishPrompt(original);

      // Assess
      expect(result.FailedEntryCount).toBe(0);
    });

    it('refuses the same PutEvents with AccessDeniedException naming events:PutEvents', async () => {
      // Act
      const result = await publishPrompt(edited);

      // Assess
      expect(result.FailedEntryCount).toBe(1);
      expect(result.Entries?.[0]?.ErrorCode).toBe('AccessDeniedException');
      expect(result.Entries?.[0]?.ErrorMessage).toContain(
        'assumed-role/tenant-assistant-chat-api-local-submitPrompt/',
      );
      expect(result.Entries?.[0]?.ErrorMessage).toContain('is not authorized to perform: events:PutEvents');
    });
  });

  describe('agent-invoker without its AssumeTenantDataAccessRole statement', () => {
    let original: Stand;
    let edited: Stand;

    beforeAll(async () => {
      const copy = await packageEditedCopy('agent-invoker', 'serverless.yml', (text) =>
        withoutStatement(text, 'AssumeTenantDataAccessRole'),
      );
      [original, edited] = await Promise.all([
        stand(packaged),
        stand({ ...packaged, 'agent-invoker': copy }),
      ]);
    });

    afterAll(async () => {
      await original?.close();
      await edited?.close();
    });

    it('lets invokeAgent assume TenantDataAccessRole with tenant tags as packaged', async () => {
      // Act
      const result = await assumeDataAccessRole(original);

      // Assess
      expect(result.Credentials?.AccessKeyId).toMatch(/^ASIA/);
    });

    it('refuses the same AssumeRole with AccessDenied naming sts:AssumeRole', async () => {
      // Act
      const error = await assumeDataAccessRole(edited).then(
        () => undefined,
        (e: Error) => e,
      );

      // Assess
      expect(error?.name).toBe('AccessDenied');
      expect(error?.message).toContain('is not authorized to perform: sts:AssumeRole');
    });
  });
});
