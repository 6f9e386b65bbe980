import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  type AgentModel,
  type BedrockActionGroupEvent,
  createAsyncInvoker,
  LOCAL_ACCOUNT_ID,
  LOCAL_REGION,
  type LocalSts,
  loadFunctionsFromServerlessYml,
  loadRulesFromServerlessYml,
  loadSchedulesFromServerlessYml,
  startDynamoDbIamGateway,
  startDynamoDbLocal,
  startLocalBedrockAgent,
  startLocalEventBridge,
  startLocalLambda,
  startLocalScheduler,
  startLocalSqs,
  startLocalSts,
  TargetUnreachableError,
} from '@tenant-assistant/local-stack';
import type { CfnTemplate } from '@tenant-assistant/testing';
import { dynamodbFaults } from './faults';
import { invokeLocalLambda, LambdaInvokeError } from './offline';
import type { StackPorts } from './ports';
import { functionCredentialsFile, issueFunctionCredentials, type LocalIam } from './roles';
import {
  ADMIN_KEY,
  LOCAL_AGENT_ALIAS_ID,
  LOCAL_AGENT_ID,
  LOCAL_FUNCTION_CONCURRENCY,
  LOCAL_PREMIUM_AGENT_ALIAS_ID,
  LOCAL_SCHEDULE_SPEED_UP,
  SERVICES,
  type ServiceKey,
  STAGE,
} from './services';
import { REPO_ROOT } from './state';
import { createTablesOfTemplate } from './tables';

/** What every start-up step of the local system shares. */
export interface StackContext {
  ports: StackPorts;
  dataDir: string;
  inMemory: boolean;
  log: (source: string, line: string) => void;
  /** What was started so far, closed in reverse order on failure or `close()`. */
  running: { name: string; close(): Promise<void> }[];
}

const SERVICE_KEYS = Object.keys(SERVICES) as ServiceKey[];
const serviceFiles = () => SERVICE_KEYS.map((key) => join(REPO_ROOT, SERVICES[key].dir, 'serverless.yml'));
const configOptions = () => ({
  stage: STAGE,
  region: LOCAL_REGION,
  accountId: LOCAL_ACCOUNT_ID,
  env: process.env,
});

/** DynamoDB Local (restartable by the fault tests), kept in the data folder unless in memory. */
export const startDynamoDb = async (ctx: StackContext) => {
  const startDynamo = () =>
    startDynamoDbLocal({
      host: '127.0.0.1',
      port: ctx.ports.dynamodb,
      ...(ctx.inMemory ? { inMemory: true } : { dbPath: join(ctx.dataDir, 'dynamodb') }),
      onLog: (line) => ctx.log('dynamodb', line),
    });
  let dynamo = await startDynamo();
  ctx.running.push({ name: 'dynamodb', close: () => dynamo.close() });
  const faults = dynamodbFaults(
    () => dynamo,
    async () => {
      dynamo = await startDynamo();
    },
    !ctx.inMemory,
  );
  return { url: () => dynamo.url, faults };
};

/**
 * The STS stand-in (with its TEST-ONLY outage fault) and each function's own role session, written
 * where the local serverless plugin reads them.
 */
export const startIdentity = async (ctx: StackContext, iam: LocalIam) => {
  const stsOptions = {
    host: '127.0.0.1',
    port: ctx.ports.sts,
    roles: iam.roles,
    callers: {
      [ADMIN_KEY.accessKeyId]: {
        arn: `arn:aws:iam::${LOCAL_ACCOUNT_ID}:user/local-admin`,
        secretAccessKey: ADMIN_KEY.secretAccessKey,
      },
    },
    requireKnownCallers: true,
  };
  const sts = await startLocalSts(stsOptions);
  let stsNow: LocalSts | undefined = sts;
  ctx.running.push({ name: 'sts', close: async () => stsNow?.close() });
  /** TEST-ONLY FAULT: STS refuses connections for `ms`, then answers again (same sessions). */
  const stsOutage = async (ms: number) => {
    await stsNow?.close();
    stsNow = undefined;
    await new Promise((resolve) => setTimeout(resolve, ms));
    stsNow = await startLocalSts({ ...stsOptions, sessions: sts.sessions });
  };
  const functionCredentials = functionCredentialsFile(ctx.dataDir);
  await issueFunctionCredentials(sts, iam.functions, functionCredentials);
  return { sts, stsOutage, functionCredentials };
};

/** The IAM-enforcing gateway in front of DynamoDB Local, and the services' tables created. */
export const startDataGateway = async (
  ctx: StackContext,
  dynamoUrl: string,
  sts: LocalSts,
  iam: LocalIam,
  templates: Record<ServiceKey, CfnTemplate>,
) => {
  const gateway = await startDynamoDbIamGateway({
    host: '127.0.0.1',
    port: ctx.ports.dynamodbGateway,
    target: dynamoUrl,
    sessions: sts.sessions,
    roles: iam.roles,
    adminCredentials: [ADMIN_KEY],
    // Tags and PITR settings (which DynamoDB Local lacks) live as long as its data does.
    ...(ctx.inMemory ? {} : { tableSettingsFile: join(ctx.dataDir, 'dynamodb-table-settings.json') }),
  });
  ctx.running.push({ name: 'dynamodb-gateway', close: () => gateway.close() });
  const adminDynamo = new DynamoDBClient({
    region: LOCAL_REGION,
    endpoint: dynamoUrl,
    credentials: ADMIN_KEY,
  });
  for (const template of Object.values(templates)) await createTablesOfTemplate(adminDynamo, template);
  return gateway;
};

/** Runs a function of a service in its serverless-offline, as Lambda would for an invocation. */
const functionRunner = (ports: StackPorts) => {
  const lambdaPortOf = (service: string) => {
    const key = SERVICE_KEYS.find((k) => `tenant-assistant-${SERVICES[k].dir.split('/')[1]}` === service);
    if (!key) throw new Error(`No local service ${service}`);
    return ports[SERVICES[key].lambda];
  };
  return async (target: { service: string; functionName: string }, payload: unknown) => {
    try {
      return await invokeLocalLambda(
        lambdaPortOf(target.service),
        `${target.service}-${STAGE}-${target.functionName}`,
        payload,
      );
    } catch (error) {
      if (error instanceof LambdaInvokeError && error.functionError) throw error; // it ran and failed
      throw new TargetUnreachableError(`${target.service}.${target.functionName} could not be reached`, {
        cause: error,
      });
    }
  };
};

/**
 * Asynchronous delivery: the dead-letter queues (every AWS::SQS::Queue the services declare), Lambda's
 * asynchronous invocation (retries, reserved concurrency, event age, on-failure destinations), the
 * EventBridge bus with the services' rules, and the Lambda Invoke API.
 */
export const startAsyncDelivery = async (
  ctx: StackContext,
  sts: LocalSts,
  iam: LocalIam,
  templates: Record<ServiceKey, CfnTemplate>,
) => {
  const queues = Object.values(templates).flatMap((template) =>
    Object.values(template.Resources).flatMap((resource) =>
      resource.Type === 'AWS::SQS::Queue' && typeof resource.Properties?.QueueName === 'string'
        ? [{ name: resource.Properties.QueueName }]
        : [],
    ),
  );
  const sqs = await startLocalSqs({
    host: '127.0.0.1',
    port: ctx.ports.sqs,
    queues,
    ...(ctx.inMemory ? {} : { dataFile: join(ctx.dataDir, 'sqs', 'queues.json') }),
  });
  ctx.running.push({ name: 'sqs', close: () => sqs.close() });
  const runFunction = functionRunner(ctx.ports);
  // A function without reservedConcurrency runs at most LOCAL_FUNCTION_CONCURRENCY asynchronous
  // invocations at once (the rest wait in its queue, as under an account's concurrency limit): on
  // one machine each running invocation is a serverless-offline worker with its own warm state.
  const asyncInvoker = createAsyncInvoker({
    invoke: runFunction,
    deadLetters: sqs,
    defaultConcurrency: LOCAL_FUNCTION_CONCURRENCY,
  });
  ctx.running.push({ name: 'async-invocations', close: async () => asyncInvoker.close() });
  const eventBridge = await startLocalEventBridge({
    host: '127.0.0.1',
    port: ctx.ports.eventBridge,
    rules: serviceFiles().flatMap((file) => loadRulesFromServerlessYml(file, configOptions())),
    iam: { sessions: sts.sessions, roles: iam.roles, busPolicies: iam.busPolicies, admins: [ADMIN_KEY] },
    asyncInvoker,
    invoke: (rule, event) => runFunction(rule, event),
  });
  ctx.running.push({ name: 'eventbridge', close: () => eventBridge.close() });
  const lambda = await startLocalLambda({
    host: '127.0.0.1',
    port: ctx.ports.lambda,
    functions: serviceFiles().flatMap((file) => loadFunctionsFromServerlessYml(file, configOptions())),
    invoke: runFunction,
    asyncInvoker,
  });
  ctx.running.push({ name: 'lambda', close: () => lambda.close() });
  return { sqs, eventBridge, lambda, runFunction };
};

/** The Bedrock Agent Runtime stand-in, calling order-action-group's real action-group handler. */
export const startAgent = async (
  ctx: StackContext,
  sts: LocalSts,
  iam: LocalIam,
  agent: {
    model: AgentModel;
    maxSteps?: number;
    tamperActionGroupEvent?: (event: BedrockActionGroupEvent) => BedrockActionGroupEvent;
  },
) => {
  const bedrock = await startLocalBedrockAgent({
    host: '127.0.0.1',
    port: ctx.ports.bedrock,
    model: agent.model,
    ...(agent.maxSteps === undefined ? {} : { maxSteps: agent.maxSteps }),
    agents: {
      [LOCAL_AGENT_ID]: {
        name: 'tenant-assistant-local',
        aliases: [LOCAL_AGENT_ALIAS_ID, LOCAL_PREMIUM_AGENT_ALIAS_ID],
      },
    },
    iam: { sessions: sts.sessions, roles: iam.roles, admins: [ADMIN_KEY] },
    invokeActionGroup: (event) =>
      invokeLocalLambda(
        ctx.ports.orderActionGroupLambda,
        `tenant-assistant-order-action-group-${STAGE}-actionGroup`,
        agent.tamperActionGroupEvent ? agent.tamperActionGroupEvent(event) : event,
      ) as never,
  });
  ctx.running.push({ name: 'bedrock', close: () => bedrock.close() });
  return bedrock;
};

/** The services' scheduled rules (chat-api's sweeper), run more often locally. */
export const startSchedules = (
  ctx: StackContext,
  runFunction: ReturnType<typeof functionRunner>,
  scheduleIntervalMs: number | undefined,
) => {
  const schedules = serviceFiles().flatMap((file) => loadSchedulesFromServerlessYml(file, configOptions()));
  const intervalFromEnv = Number(process.env.TA_SCHEDULE_INTERVAL_MS);
  const scheduler = startLocalScheduler({
    schedules,
    region: LOCAL_REGION,
    accountId: LOCAL_ACCOUNT_ID,
    stage: STAGE,
    intervalMs: (schedule) =>
      scheduleIntervalMs ??
      (intervalFromEnv > 0 ? intervalFromEnv : Math.ceil(schedule.rateMs / LOCAL_SCHEDULE_SPEED_UP)),
    invoke: (schedule, event) => runFunction(schedule, event),
    onError: (schedule, error) => ctx.log('scheduler', `${schedule.functionName} failed: ${String(error)}`),
  });
  ctx.running.push({ name: 'scheduler', close: () => scheduler.close() });
  return scheduler;
};
