import { join } from 'node:path';
import {
  authorize,
  iamActionsOf,
  LOCAL_ACCOUNT_ID,
  LOCAL_REGION,
  type PolicyStatement,
  ServerlessConfig,
} from '@tenant-assistant/local-stack';
import { actionsOf, type PolicyStatement as TemplateStatement } from '@tenant-assistant/testing';
import { sdkCommandsOf } from '@tenant-assistant/testing/sdk-commands';
import { type LocalIam, localIamOf, packagedTemplate } from '../src/roles';
import { SERVICES, STAGE } from '../src/services';
import { REPO_ROOT } from '../src/state';

// Least privilege, from the code: for every function, the AWS SDK commands its handler's code can
// send (found statically from the handler, see testing's sdk-commands), each mapped to its IAM
// action and judged with iam-simulate against the function's role as packaged; and every action
// its role grants must be sent by some command (no unused grants). Prints the table
// function × action × allowed / used.

jest.setTimeout(600_000);

/**
 * Actions a role grants that no command of the function's code sends, with the reason they are
 * needed all the same (sent by Lambda or a library for the function, or required by IAM with one).
 */
const NOT_SENT_BY_CODE: Record<string, string> = {
  'logs:CreateLogStream': 'Lambda writes the function’s logs with its role',
  'logs:PutLogEvents': 'Lambda writes the function’s logs with its role',
  'logs:CreateLogGroup': 'Lambda writes the function’s logs with its role',
  'logs:TagResource':
    'the Serverless Framework adds it to the role it generates (the agent-invoker’s) for the log group’s tags',
  'sqs:SendMessage':
    'Lambda sends a failed asynchronous invocation’s record to the dead-letter queue with the function’s role',
  'sts:TagSession': 'IAM requires it for AssumeRole with session tags (tenantId, userId)',
  'xray:PutTraceSegments':
    'Lambda sends the function’s X-Ray trace segments with its role (tracing is active)',
  'xray:PutTelemetryRecords': 'Lambda sends the function’s X-Ray telemetry with its role (tracing is active)',
};

/**
 * Actions a library sends for the function from inside node_modules, where the code search does not
 * go: Powertools' idempotency persistence layer reads, writes, updates and deletes its records.
 */
const SENT_BY_LIBRARY: Record<string, string[]> = {
  'agentInvoker/invokeAgent': [
    'dynamodb:GetItem',
    'dynamodb:PutItem',
    'dynamodb:UpdateItem',
    'dynamodb:DeleteItem',
  ],
};

/**
 * Functions whose commands go out with other credentials than their own role's: the action group's
 * DynamoDB client is built from the tenant-scoped credentials of each request (design §5), so its
 * commands are judged against TenantDataAccessRole, with the session's tags.
 */
const SENT_AS: Record<string, { roleName: string; tags: Record<string, string> }> = {
  'orderActionGroup/actionGroup': {
    roleName: `tenant-assistant-order-action-group-${STAGE}-data-access`,
    tags: { tenantId: 'tenant1', userId: '6f1c2e4a-0b7d-4c1e-9a53-2d8e7f6a5b4c' },
  },
};

interface Row {
  fn: string;
  action: string;
  allowed: boolean;
  used: boolean;
  /** Where the code sends it, or why it is granted without being sent. */
  note: string;
}

const glob = (pattern: string) =>
  new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`, 'i');

/** The Allow statements of a role's policies (none of them uses NotAction). */
const allowStatements = (iam: LocalIam, roleArn: string): TemplateStatement[] =>
  (iam.roles[roleArn]?.policies ?? [])
    .flatMap((policy) => policy.document.Statement)
    .filter(
      (statement: PolicyStatement): statement is PolicyStatement & TemplateStatement =>
        statement.Effect === 'Allow' && statement.Action !== undefined,
    );

/**
 * iam-simulate on each resource the role names for the action (wildcards and the session's tag
 * variables filled in; for a tagged session, its own tag values as the partition keys): allowed on
 * at least one of them. It judges the action, not which of the role's resources a command names.
 */
const allowedByRole = async (
  iam: LocalIam,
  roleArn: string,
  action: string,
  tags: Record<string, string> = {},
): Promise<boolean> => {
  const statements = allowStatements(iam, roleArn).filter((statement) =>
    actionsOf(statement).some((granted) => glob(granted).test(action)),
  );
  const resources = [...new Set(statements.flatMap((statement) => [statement.Resource ?? []].flat()))];
  const principalTags = Object.fromEntries(
    Object.entries(tags).map(([key, value]) => [`aws:PrincipalTag/${key}`, value]),
  );
  // A tenant-scoped session reads with its own tenant or user as the partition key (LeadingKeys).
  const contexts: Record<string, string | string[]>[] = [
    principalTags,
    ...Object.values(tags).map((value) => ({ ...principalTags, 'dynamodb:LeadingKeys': [value] })),
  ];
  for (const [resource, context] of resources.flatMap((r) => contexts.map((c) => [r, c] as const))) {
    // A bare `*` (actions that name no resource, such as X-Ray's) is judged as it is.
    const resourceArn =
      resource === '*'
        ? '*'
        : String(resource)
            .replace(/\$\{aws:PrincipalTag\/(\w+)\}/g, (_, key: string) => tags[key] ?? key)
            // A log group's `…:*` grants its streams: judged on one of them.
            .replace(/(:log-group:[^:]+)(:\*)+$/, '$1:log-stream:x')
            .replace(/\*/g, 'x');
    const decision = await authorize(
      {
        principalArn: `${roleArn.replace(':iam::', ':sts::').replace(':role/', ':assumed-role/')}/session`,
        action,
        resourceArn,
        resourceAccountId: LOCAL_ACCOUNT_ID,
        context,
      },
      { identityPolicies: iam.roles[roleArn]?.policies ?? [] },
    );
    if (decision.allowed) return true;
  }
  return false;
};

const rows: Row[] = [];

beforeAll(async () => {
  const keys = Object.keys(SERVICES) as (keyof typeof SERVICES)[];
  const templates = Object.fromEntries(
    await Promise.all(
      keys.map(
        async (key) => [key, await packagedTemplate(join(REPO_ROOT, SERVICES[key].dir), STAGE)] as const,
      ),
    ),
  );
  const iam = localIamOf(templates, { accountId: LOCAL_ACCOUNT_ID, region: LOCAL_REGION, stage: STAGE });
  for (const key of keys) {
    const serviceDir = join(REPO_ROOT, SERVICES[key].dir);
    const config = ServerlessConfig.load(join(serviceDir, 'serverless.yml'), { stage: STAGE });
    const functions = config.raw.functions as Record<string, { handler: string }>;
    const entries = Object.entries(functions).map(([fn, { handler }]) => {
      const dot = handler.lastIndexOf('.');
      return {
        name: fn,
        file: join(serviceDir, `${handler.slice(0, dot)}.ts`),
        exportName: handler.slice(dot + 1),
      };
    });
    const uses = sdkCommandsOf(entries, join(serviceDir, 'tsconfig.json'));
    for (const [fn, commands] of uses) {
      const id = `${key}/${fn}`;
      const functionName = `${config.service}-${STAGE}-${fn}`;
      const ownRole = iam.functions.find((f) => f.functionName === functionName)?.roleArn;
      if (!ownRole) throw new Error(`${functionName} has no role in the packaged template`);
      const sentAs = SENT_AS[id];
      const roleArn = sentAs ? `arn:aws:iam::${LOCAL_ACCOUNT_ID}:role/${sentAs.roleName}` : ownRole;
      const sent = new Map<string, string[]>();
      const record = (action: string, where: string) =>
        sent.set(action, [...(sent.get(action) ?? []), where]);
      for (const use of commands)
        for (const action of iamActionsOf(use.clientPackage, use.command, use.transactItems))
          record(action, `${use.command} ${use.at.replace(`${REPO_ROOT}/`, '')}`);
      for (const action of SENT_BY_LIBRARY[id] ?? []) record(action, 'Powertools idempotency');
      // The function's own role (its logs, its dead letters) and, when its commands go out as
      // another role, that role's grants too.
      const roles = [...new Set([ownRole, roleArn])];
      const granted = new Set(roles.flatMap((role) => actionsOf(allowStatements(iam, role))));
      for (const action of new Set([...sent.keys(), ...granted])) {
        const reason = NOT_SENT_BY_CODE[action];
        rows.push({
          fn: id,
          action,
          allowed: reason
            ? await allowedByRole(iam, ownRole, action)
            : await allowedByRole(iam, roleArn, action, sentAs?.tags),
          used: sent.has(action),
          note: sent.get(action)?.join('; ') ?? reason ?? '',
        });
      }
    }
  }
  const table = rows.map(
    (row) =>
      `${row.fn.padEnd(36)} ${row.action.padEnd(40)} ${(row.allowed ? 'allowed' : 'DENIED').padEnd(8)} ${(row.used ? 'used' : NOT_SENT_BY_CODE[row.action] ? 'reason' : 'unused').padEnd(7)} ${row.note}`,
  );
  console.log(
    `${'function'.padEnd(36)} ${'action'.padEnd(40)} ${'allowed'.padEnd(8)} ${'used'.padEnd(7)} where\n${table.join('\n')}`,
  );
}, 600_000);

describe('each function’s role, judged against what its code sends', () => {
  test('finds commands for every function', () => {
    // Act
    const functions = new Set(rows.map((row) => row.fn));

    // Assess
    expect(functions.size).toBe(20);
  });

  test('allows every action the code sends, and each granted for a reason', () => {
    // Act
    const denied = rows
      .filter((row) => (row.used || NOT_SENT_BY_CODE[row.action]) && !row.allowed)
      .map((row) => `${row.fn} ${row.action} (${row.note})`);

    // Assess
    expect(denied).toEqual([]);
  });

  test('grants no action the code does not send, but those with a reason', () => {
    // Act
    const unused = rows
      .filter((row) => !row.used && !NOT_SENT_BY_CODE[row.action])
      .map((row) => `${row.fn} ${row.action}`);

    // Assess
    expect(unused).toEqual([]);
  });
});
