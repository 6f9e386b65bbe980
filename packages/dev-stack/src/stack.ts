import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { STSClient } from '@aws-sdk/client-sts';
import {
  type AgentModel,
  type BedrockActionGroupEvent,
  createAsyncInvoker,
  createIntentRouterModel,
  createOpenAiCompatibleModel,
  type DynamoDbIamGateway,
  LOCAL_ACCOUNT_ID,
  LOCAL_REGION,
  type LocalBedrockAgent,
  type LocalEventBridge,
  type LocalScheduler,
  type LocalSqs,
  type LocalSts,
  loadFunctionsFromServerlessYml,
  loadRulesFromServerlessYml,
  loadSchedulesFromServerlessYml,
  ServerlessConfig,
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
import { createScopedCredentialsProvider } from '@tenant-assistant/tenant-context/credentials';
import type { CfnTemplate } from '@tenant-assistant/testing';
import { startLocalCognito } from './cognito';
import { dynamodbFaults, jwksFault, type StackFaults } from './faults';
import { invokeLocalLambda, LambdaInvokeError, type RunningProcess, startServerlessOffline } from './offline';
import { assertPortsFree, resolvePorts, type StackPorts } from './ports';
import {
  functionCredentialsFile,
  issueFunctionCredentials,
  type LocalIam,
  localIamOf,
  packagedTemplate,
  readFunctionCredentials,
} from './roles';
import { defaultDataDir, REPO_ROOT, type StackInfo, writeStackInfo } from './state';
import { createTablesOfTemplate } from './tables';
import { serveWeb } from './web';

export const STAGE = 'local';
export const LOCAL_AGENT_ID = 'LOCALAGENT';
export const LOCAL_AGENT_ALIAS_ID = 'LOCALALIAS';
/** The local alias of the premium tiers (agent-invoker's `premiumAgentAliasId` on the local stage). */
export const LOCAL_PREMIUM_AGENT_ALIAS_ID = 'LOCALPREM1';
/**
 * Most invocations of one function running at once locally (its reservedConcurrency when lower):
 * asynchronous ones wait in the function's queue, synchronous ones (HTTP, WebSocket, Invoke) wait
 * for a free instance in serverless-offline (patched: patches/serverless-offline@*.patch). On AWS
 * more containers would start; two cores cannot start fifty worker isolates at once (README).
 */
export const LOCAL_FUNCTION_CONCURRENCY = 10;

/** The four services, their folders and which serverless-offline ports they use. */
export const SERVICES = {
  auth: { dir: 'services/auth', http: 'authHttp', ws: 'authWebSocket', lambda: 'authLambda' },
  orderActionGroup: {
    dir: 'services/order-action-group',
    http: 'orderActionGroupHttp',
    ws: 'orderActionGroupWebSocket',
    lambda: 'orderActionGroupLambda',
  },
  chatApi: { dir: 'services/chat-api', http: 'chatApiHttp', ws: 'chatApiWebSocket', lambda: 'chatApiLambda' },
  agentInvoker: {
    dir: 'services/agent-invoker',
    http: 'agentInvokerHttp',
    ws: 'agentInvokerWebSocket',
    lambda: 'agentInvokerLambda',
  },
} as const satisfies Record<
  string,
  { dir: string; http: keyof StackPorts; ws: keyof StackPorts; lambda: keyof StackPorts }
>;
export type ServiceKey = keyof typeof SERVICES;

/**
 * The dev tools' key (seeding, manage-orders): authenticated by the stand-ins but never evaluated.
 * No function uses it: each function runs with a session of its own execution role as packaged
 * (see roles.ts), and every call made with it is evaluated against that role.
 */
const ADMIN_KEY = { accessKeyId: 'LOCALADMIN', secretAccessKey: 'local-admin-secret' };

/**
 * The environment a service's handlers get locally: the local endpoints through the SDK's standard
 * `AWS_ENDPOINT_URL_<SERVICE>` variables, the file with each function's own role credentials (the
 * local serverless plugin puts them into each function's environment), and the values its `local`
 * stage parameters read from the environment. The same for serverless-offline and `invoke local`.
 */
export const localServiceEnv = (info: StackInfo, _key: ServiceKey, base: NodeJS.ProcessEnv = process.env) => {
  const env: NodeJS.ProcessEnv = {
    ...base,
    AWS_REGION: info.region,
    AWS_DEFAULT_REGION: info.region,
    AWS_EC2_METADATA_DISABLED: 'true',
    TA_LOCAL_FUNCTION_CREDENTIALS: info.functionCredentialsFile,
    AWS_ENDPOINT_URL_DYNAMODB: info.dynamodbUrl,
    AWS_ENDPOINT_URL_STS: info.stsUrl,
    AWS_ENDPOINT_URL_EVENTBRIDGE: info.eventBridgeUrl,
    AWS_ENDPOINT_URL_BEDROCK_AGENT_RUNTIME: info.bedrockUrl,
    AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: info.cognitoUrl,
    AWS_ENDPOINT_URL_SQS: info.sqsUrl,
    AWS_ENDPOINT_URL_LAMBDA: info.lambdaUrl,
    COGNITO_WEB_CLIENT_ID: info.webClientId,
    COGNITO_ISSUER_URL: info.cognitoIssuer,
    WEB_ORIGIN: info.webUrl,
    WEBSOCKET_API_ENDPOINT: info.webSocketUrl.replace(/^ws/, 'http'),
  };
  for (const name of ['AWS_PROFILE', 'AWS_SESSION_TOKEN', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'])
    delete env[name];
  return env;
};

/** The agent-invoker's function, whose role TenantDataAccessRole trusts. */
const AGENT_INVOKER_FUNCTION = `tenant-assistant-agent-invoker-${STAGE}-invokeAgent`;

/**
 * tenant-context's scoped-credentials provider exactly as the agent-invoker configures it against
 * the running local system: AssumeRole on TenantDataAccessRole through the STS stand-in, as the
 * agent-invoker function's own role (for tools and tests that need a user's tenant-scoped credentials).
 */
export const localScopedCredentialsProvider = (info: StackInfo) => {
  const tableArn = (name: string) => `arn:aws:dynamodb:${info.region}:${info.accountId}:table/${name}`;
  const invoker = readFunctionCredentials(info.functionCredentialsFile, AGENT_INVOKER_FUNCTION);
  return createScopedCredentialsProvider({
    roleArn: `arn:aws:iam::${info.accountId}:role/tenant-assistant-order-action-group-${STAGE}-data-access`,
    sts: new STSClient({ region: info.region, endpoint: info.stsUrl, credentials: invoker }),
    tables: {
      tenantConfigTableArn: tableArn(info.tenantConfigTableName),
      ordersTableArnPrefix: tableArn(info.ordersTablePrefix),
    },
  });
};

export interface StartStackOptions {
  dataDir?: string;
  ports?: StackPorts;
  /** Wipe the data folder first. */
  reset?: boolean;
  /** Keep DynamoDB in memory and nothing on disk but the data folder's Cognito pool (tests). */
  inMemory?: boolean;
  /** Serve the built web app (services/web/dist). */
  web?: boolean;
  /** The agent's model: default the deterministic intent router. */
  model?: AgentModel;
  /** Function calls per agent turn the Bedrock stand-in allows (default 5; the hostile model makes more). */
  maxAgentSteps?: number;
  /**
   * TEST-ONLY FAULT INJECTION: rewrites each action-group event on its way from the local Bedrock
   * stand-in to the real handler (e.g. another tenant's id with the caller's credentials), to show
   * that IAM refuses what code would wrongly ask for. Never used by the run command.
   */
  tamperActionGroupEvent?: (event: BedrockActionGroupEvent) => BedrockActionGroupEvent;
  /**
   * Seconds from submit to an answer's deadline (chat-api's `answerDeadlineSeconds`; default the
   * stage's 240, or `ANSWER_DEADLINE_SECONDS`). Tests shorten it.
   */
  answerDeadlineSeconds?: number;
  /**
   * How often scheduled functions (chat-api's sweeper) run locally. Default: their rate divided by
   * {@link LOCAL_SCHEDULE_SPEED_UP} (rate(1 minute) → every 10 s), or `TA_SCHEDULE_INTERVAL_MS`.
   */
  scheduleIntervalMs?: number;
  log?: (source: string, line: string) => void;
}

/** Scheduled functions run this many times more often locally than their rate says. */
export const LOCAL_SCHEDULE_SPEED_UP = 6;

export interface RunningStack {
  info: StackInfo;
  /** Roles, function roles and bus policies as packaged (what every stand-in evaluates). */
  iam: LocalIam;
  sts: LocalSts;
  gateway: DynamoDbIamGateway;
  eventBridge: LocalEventBridge;
  bedrock: LocalBedrockAgent;
  /** Runs the services' scheduled functions (e.g. `scheduler.runNow('sweepAnswers')`). */
  scheduler: LocalScheduler;
  /** The dead-letter queues (local SQS stand-in). */
  sqs: LocalSqs;
  /** TEST-ONLY FAULTS for the fault tests (never used by the run command). */
  faults: StackFaults;
  /** Milliseconds from start to ready. */
  startupMs: number;
  close(): Promise<void>;
}

/** The model from the environment: an OpenAI-compatible endpoint when TA_LLM_BASE_URL is set. */
export const modelFromEnv = (env: NodeJS.ProcessEnv = process.env): AgentModel => {
  if (!env.TA_LLM_BASE_URL) return createIntentRouterModel();
  if (!env.TA_LLM_MODEL) throw new Error('TA_LLM_MODEL must name the model when TA_LLM_BASE_URL is set');
  return createOpenAiCompatibleModel({
    baseUrl: env.TA_LLM_BASE_URL,
    model: env.TA_LLM_MODEL,
    ...(env.TA_LLM_API_KEY ? { apiKey: env.TA_LLM_API_KEY } : {}),
  });
};

/**
 * Each service's CloudFormation `resources` exactly as written in its serverless.yml, with the
 * framework's variables resolved for the local stage (tables, TenantDataAccessRole, the user pool).
 */
const loadTemplates = (): Record<ServiceKey, CfnTemplate> =>
  Object.fromEntries(
    (Object.keys(SERVICES) as ServiceKey[]).map((key) => {
      const config = ServerlessConfig.load(join(REPO_ROOT, SERVICES[key].dir, 'serverless.yml'), {
        stage: STAGE,
        region: LOCAL_REGION,
        accountId: LOCAL_ACCOUNT_ID,
        env: process.env,
      });
      return [key, config.resolve(config.resources()) as CfnTemplate];
    }),
  ) as Record<ServiceKey, CfnTemplate>;

/**
 * Starts the whole system on 127.0.0.1: DynamoDB Local behind the IAM-enforcing gateway, the STS,
 * EventBridge and Bedrock Agent Runtime stand-ins, cognito-local, and every service's real handlers
 * under serverless-offline (stage `local`), plus the web app. Stops everything it started when a
 * step fails, and on `close()`.
 */
export const startStack = async (options: StartStackOptions = {}): Promise<RunningStack> => {
  const started = Date.now();
  const dataDir = options.dataDir ?? defaultDataDir();
  const ports = options.ports ?? resolvePorts();
  const log = options.log ?? (() => undefined);
  await assertPortsFree(ports);
  if (options.reset) rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });

  const running: { name: string; close(): Promise<void> }[] = [];
  const closeAll = async () => {
    for (const item of running.reverse()) {
      await item.close().catch((error: unknown) => log(item.name, `close failed: ${String(error)}`));
    }
    running.length = 0;
  };

  try {
    const templates = loadTemplates();
    // Packaged before anything starts (cached on disk after the first time): packaging next to
    // DynamoDB Local's start would starve the JVM of CPU on a small machine.
    const packaged = await Promise.all(
      (Object.keys(SERVICES) as ServiceKey[]).map(
        async (key) => [key, await packagedTemplate(join(REPO_ROOT, SERVICES[key].dir), STAGE)] as const,
      ),
    );
    const startDynamo = () =>
      startDynamoDbLocal({
        host: '127.0.0.1',
        port: ports.dynamodb,
        ...(options.inMemory ? { inMemory: true } : { dbPath: join(dataDir, 'dynamodb') }),
        onLog: (line) => log('dynamodb', line),
      });
    let dynamo = await startDynamo();
    running.push({ name: 'dynamodb', close: () => dynamo.close() });
    const dynamoFaults = dynamodbFaults(
      () => dynamo,
      async () => {
        dynamo = await startDynamo();
      },
      !options.inMemory,
    );

    // Every role as packaged (the functions' execution roles, TenantDataAccessRole, …), which
    // function runs as which role, and the bus policies: what every stand-in evaluates.
    const iam = localIamOf(Object.fromEntries(packaged), {
      accountId: LOCAL_ACCOUNT_ID,
      region: LOCAL_REGION,
      stage: STAGE,
    });
    log('stack', `packaged templates read after ${Date.now() - started} ms`);
    const stsOptions = {
      host: '127.0.0.1',
      port: ports.sts,
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
    running.push({ name: 'sts', close: async () => stsNow?.close() });
    /** TEST-ONLY FAULT: STS refuses connections for `ms`, then answers again (same sessions). */
    const stsOutage = async (ms: number) => {
      await stsNow?.close();
      stsNow = undefined;
      await new Promise((resolve) => setTimeout(resolve, ms));
      stsNow = await startLocalSts({ ...stsOptions, sessions: sts.sessions });
    };
    const functionCredentials = functionCredentialsFile(dataDir);
    await issueFunctionCredentials(sts, iam.functions, functionCredentials);
    const gateway = await startDynamoDbIamGateway({
      host: '127.0.0.1',
      port: ports.dynamodbGateway,
      target: dynamo.url,
      sessions: sts.sessions,
      roles: iam.roles,
      adminCredentials: [ADMIN_KEY],
      // Tags and PITR settings (which DynamoDB Local lacks) live as long as its data does.
      ...(options.inMemory ? {} : { tableSettingsFile: join(dataDir, 'dynamodb-table-settings.json') }),
    });
    running.push({ name: 'dynamodb-gateway', close: () => gateway.close() });

    log('stack', `data stores ready after ${Date.now() - started} ms`);
    const adminDynamo = new DynamoDBClient({
      region: LOCAL_REGION,
      endpoint: dynamo.url,
      credentials: ADMIN_KEY,
    });
    for (const template of Object.values(templates)) await createTablesOfTemplate(adminDynamo, template);

    const lambdaPortOf = (service: string) => {
      const key = (Object.keys(SERVICES) as ServiceKey[]).find(
        (k) => `tenant-assistant-${SERVICES[k].dir.split('/')[1]}` === service,
      );
      if (!key) throw new Error(`No local service ${service}`);
      return ports[SERVICES[key].lambda];
    };
    const configOptions = {
      stage: STAGE,
      region: LOCAL_REGION,
      accountId: LOCAL_ACCOUNT_ID,
      env: process.env,
    };
    const serviceFiles = (Object.keys(SERVICES) as ServiceKey[]).map((key) =>
      join(REPO_ROOT, SERVICES[key].dir, 'serverless.yml'),
    );
    const rules = serviceFiles.flatMap((file) => loadRulesFromServerlessYml(file, configOptions));
    const functions = serviceFiles.flatMap((file) => loadFunctionsFromServerlessYml(file, configOptions));

    // Dead-letter queues and on-failure destinations: every AWS::SQS::Queue the services declare,
    // kept with the local data (except for in-memory stacks).
    const queues = Object.values(templates).flatMap((template) =>
      Object.values(template.Resources).flatMap((resource) =>
        resource.Type === 'AWS::SQS::Queue' && typeof resource.Properties?.QueueName === 'string'
          ? [{ name: resource.Properties.QueueName }]
          : [],
      ),
    );
    const sqs = await startLocalSqs({
      host: '127.0.0.1',
      port: ports.sqs,
      queues,
      ...(options.inMemory ? {} : { dataFile: join(dataDir, 'sqs', 'queues.json') }),
    });
    running.push({ name: 'sqs', close: () => sqs.close() });

    // Lambda's asynchronous invocation, shared by the bus and by Invoke(Event) callers (scripts/dlq):
    // retries, reserved concurrency, event age and on-failure destinations from serverless.yml.
    const runFunction = async (target: { service: string; functionName: string }, payload: unknown) => {
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
    // A function without reservedConcurrency runs at most LOCAL_FUNCTION_CONCURRENCY asynchronous
    // invocations at once (the rest wait in its queue, as under an account's concurrency limit): on
    // one machine each running invocation is a serverless-offline worker with its own warm state.
    const asyncInvoker = createAsyncInvoker({
      invoke: runFunction,
      deadLetters: sqs,
      defaultConcurrency: LOCAL_FUNCTION_CONCURRENCY,
    });
    running.push({ name: 'async-invocations', close: async () => asyncInvoker.close() });
    const eventBridge = await startLocalEventBridge({
      host: '127.0.0.1',
      port: ports.eventBridge,
      rules,
      iam: { sessions: sts.sessions, roles: iam.roles, busPolicies: iam.busPolicies, admins: [ADMIN_KEY] },
      asyncInvoker,
      invoke: (rule, event) => runFunction(rule, event),
    });
    running.push({ name: 'eventbridge', close: () => eventBridge.close() });
    const lambda = await startLocalLambda({
      host: '127.0.0.1',
      port: ports.lambda,
      functions,
      invoke: runFunction,
      asyncInvoker,
    });
    running.push({ name: 'lambda', close: () => lambda.close() });

    const bedrock = await startLocalBedrockAgent({
      host: '127.0.0.1',
      port: ports.bedrock,
      model: options.model ?? modelFromEnv(),
      ...(options.maxAgentSteps === undefined ? {} : { maxSteps: options.maxAgentSteps }),
      agents: {
        [LOCAL_AGENT_ID]: {
          name: 'tenant-assistant-local',
          aliases: [LOCAL_AGENT_ALIAS_ID, LOCAL_PREMIUM_AGENT_ALIAS_ID],
        },
      },
      iam: { sessions: sts.sessions, roles: iam.roles, admins: [ADMIN_KEY] },
      invokeActionGroup: (event) =>
        invokeLocalLambda(
          ports.orderActionGroupLambda,
          `tenant-assistant-order-action-group-${STAGE}-actionGroup`,
          options.tamperActionGroupEvent ? options.tamperActionGroupEvent(event) : event,
        ) as never,
    });
    running.push({ name: 'bedrock', close: () => bedrock.close() });

    const cognito = await startLocalCognito({
      dataDir,
      port: ports.cognito,
      authLambdaPort: ports.authLambda,
      authTemplate: templates.auth,
      region: LOCAL_REGION,
      accountId: LOCAL_ACCOUNT_ID,
      log: (line) => log('cognito', line),
    });
    running.push(cognito);

    log('stack', `stand-ins ready after ${Date.now() - started} ms`);
    const webUrl = `http://127.0.0.1:${ports.web}`;
    const chatApiUrl = `http://127.0.0.1:${ports.chatApiHttp}`;
    const webSocketUrl = `ws://127.0.0.1:${ports.chatApiWebSocket}`;
    const info: StackInfo = {
      region: LOCAL_REGION,
      accountId: LOCAL_ACCOUNT_ID,
      stage: STAGE,
      userPoolId: cognito.userPoolId,
      webClientId: cognito.webClientId,
      cognitoUrl: cognito.url,
      cognitoIssuer: cognito.issuer,
      chatApiUrl,
      adminApiUrl: `http://127.0.0.1:${ports.authHttp}`,
      webSocketUrl,
      webUrl,
      dynamodbUrl: gateway.url,
      eventBridgeUrl: eventBridge.url,
      stsUrl: sts.url,
      bedrockUrl: bedrock.url,
      sqsUrl: sqs.url,
      lambdaUrl: lambda.url,
      adminCredentials: ADMIN_KEY,
      functionCredentialsFile: functionCredentials,
      tenantConfigTableName: `tenant-assistant-order-action-group-${STAGE}-tenant-config`,
      ordersTablePrefix: `tenant-assistant-order-action-group-${STAGE}-orders-`,
      ports,
      pid: process.pid,
    };

    const offline = await Promise.all(
      (Object.keys(SERVICES) as ServiceKey[]).map((key) =>
        startServerlessOffline({
          serviceDir: join(REPO_ROOT, SERVICES[key].dir),
          name: key,
          stage: STAGE,
          httpPort: ports[SERVICES[key].http],
          websocketPort: ports[SERVICES[key].ws],
          lambdaPort: ports[SERVICES[key].lambda],
          env: {
            ...localServiceEnv(info, key),
            SLS_OFFLINE_MAX_CONCURRENCY: String(LOCAL_FUNCTION_CONCURRENCY),
            ...(options.answerDeadlineSeconds === undefined
              ? {}
              : { ANSWER_DEADLINE_SECONDS: String(options.answerDeadlineSeconds) }),
          },
          log: (line) => log(key, line),
        }).then((process_: RunningProcess) => {
          running.push(process_);
          return process_;
        }),
      ),
    );
    void offline;
    log('stack', `services ready after ${Date.now() - started} ms`);

    // EventBridge scheduled rules (chat-api's sweeper), read from the services' serverless.yml.
    const schedules = (Object.keys(SERVICES) as ServiceKey[]).flatMap((key) =>
      loadSchedulesFromServerlessYml(join(REPO_ROOT, SERVICES[key].dir, 'serverless.yml'), {
        stage: STAGE,
        region: LOCAL_REGION,
        accountId: LOCAL_ACCOUNT_ID,
        env: process.env,
      }),
    );
    const intervalFromEnv = Number(process.env.TA_SCHEDULE_INTERVAL_MS);
    const scheduler = startLocalScheduler({
      schedules,
      region: LOCAL_REGION,
      accountId: LOCAL_ACCOUNT_ID,
      stage: STAGE,
      intervalMs: (schedule) =>
        options.scheduleIntervalMs ??
        (intervalFromEnv > 0 ? intervalFromEnv : Math.ceil(schedule.rateMs / LOCAL_SCHEDULE_SPEED_UP)),
      invoke: (schedule, event) => runFunction(schedule, event),
      onError: (schedule, error) => log('scheduler', `${schedule.functionName} failed: ${String(error)}`),
    });
    running.push({ name: 'scheduler', close: () => scheduler.close() });

    if (options.web !== false) {
      const web = await serveWeb({ port: ports.web, info });
      running.push(web);
    }
    writeStackInfo(info, dataDir);
    return {
      info,
      iam,
      sts,
      gateway,
      eventBridge,
      bedrock,
      scheduler,
      sqs,
      faults: { stsOutage, ...dynamoFaults, jwks: jwksFault(dataDir) },
      startupMs: Date.now() - started,
      close: async () => {
        await closeAll();
        rmSync(join(dataDir, 'stack.json'), { force: true });
        rmSync(functionCredentials, { force: true });
      },
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
};
