import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  type AgentModel,
  type BedrockActionGroupEvent,
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
  ServerlessConfig,
} from '@tenant-assistant/local-stack';
import type { CfnTemplate } from '@tenant-assistant/testing';
import { startLocalCognito } from './cognito';
import { jwksFault, type StackFaults } from './faults';
import { createMetricsCollector, type MetricsCollector, startLocalMetrics } from './local-metrics';
import { type RunningProcess, startServerlessOffline } from './offline';
import { assertPortsFree, resolvePorts, type StackPorts } from './ports';
import { type LocalIam, localIamOf, packagedTemplate } from './roles';
import {
  ADMIN_KEY,
  LOCAL_FUNCTION_CONCURRENCY,
  LOCAL_SCHEDULE_SPEED_UP,
  localServiceEnv,
  SERVICES,
  type ServiceKey,
  STAGE,
} from './services';
import {
  type StackContext,
  startAgent,
  startAsyncDelivery,
  startDataGateway,
  startDynamoDb,
  startIdentity,
  startSchedules,
} from './stand-ins';
import { defaultDataDir, REPO_ROOT, type StackInfo, writeStackInfo } from './state';
import { serveWeb } from './web';

export {
  LOCAL_AGENT_ALIAS_ID,
  LOCAL_AGENT_ID,
  LOCAL_FUNCTION_CONCURRENCY,
  LOCAL_PREMIUM_AGENT_ALIAS_ID,
  LOCAL_SCHEDULE_SPEED_UP,
  localScopedCredentialsProvider,
  localServiceEnv,
  SERVICES,
  type ServiceKey,
  STAGE,
} from './services';

const SERVICE_KEYS = Object.keys(SERVICES) as ServiceKey[];

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
  /** The metric lines the functions printed (also in the data folder's `metrics.jsonl`). */
  metrics: MetricsCollector;
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
    SERVICE_KEYS.map((key) => {
      const config = ServerlessConfig.load(join(REPO_ROOT, SERVICES[key].dir, 'serverless.yml'), {
        stage: STAGE,
        region: LOCAL_REGION,
        accountId: LOCAL_ACCOUNT_ID,
        env: process.env,
      });
      return [key, config.resolve(config.resources()) as CfnTemplate];
    }),
  ) as Record<ServiceKey, CfnTemplate>;

/** Every service's packaged template (cached on disk after the first time). */
const packagedTemplates = async () =>
  Object.fromEntries(
    await Promise.all(
      SERVICE_KEYS.map(
        async (key) => [key, await packagedTemplate(join(REPO_ROOT, SERVICES[key].dir), STAGE)] as const,
      ),
    ),
  );

/** Where the system is reached: what `stack.json` tells the tools, tests and the web app. */
const stackInfoOf = (
  ports: StackPorts,
  endpoints: Pick<
    StackInfo,
    | 'dynamodbUrl'
    | 'eventBridgeUrl'
    | 'stsUrl'
    | 'bedrockUrl'
    | 'sqsUrl'
    | 'lambdaUrl'
    | 'functionCredentialsFile'
  > & { cognito: { userPoolId: string; webClientId: string; url: string; issuer: string } },
): StackInfo => ({
  region: LOCAL_REGION,
  accountId: LOCAL_ACCOUNT_ID,
  stage: STAGE,
  userPoolId: endpoints.cognito.userPoolId,
  webClientId: endpoints.cognito.webClientId,
  cognitoUrl: endpoints.cognito.url,
  cognitoIssuer: endpoints.cognito.issuer,
  chatApiUrl: `http://127.0.0.1:${ports.chatApiHttp}`,
  adminApiUrl: `http://127.0.0.1:${ports.authHttp}`,
  webSocketUrl: `ws://127.0.0.1:${ports.chatApiWebSocket}`,
  webUrl: `http://127.0.0.1:${ports.web}`,
  dynamodbUrl: endpoints.dynamodbUrl,
  eventBridgeUrl: endpoints.eventBridgeUrl,
  stsUrl: endpoints.stsUrl,
  bedrockUrl: endpoints.bedrockUrl,
  sqsUrl: endpoints.sqsUrl,
  lambdaUrl: endpoints.lambdaUrl,
  metricsUrl: `http://127.0.0.1:${ports.metrics}`,
  functionCredentialsFile: endpoints.functionCredentialsFile,
  adminCredentials: ADMIN_KEY,
  tenantConfigTableName: `tenant-assistant-order-action-group-${STAGE}-tenant-config`,
  ordersTablePrefix: `tenant-assistant-order-action-group-${STAGE}-orders-`,
  ports,
  pid: process.pid,
});

/**
 * Every service's real handlers under serverless-offline (stage `local`); the metric lines they
 * print go to `metrics` as well as to the log.
 */
const startServices = (
  ctx: StackContext,
  info: StackInfo,
  answerDeadlineSeconds: number | undefined,
  metrics: MetricsCollector,
) =>
  Promise.all(
    SERVICE_KEYS.map((key) =>
      startServerlessOffline({
        serviceDir: join(REPO_ROOT, SERVICES[key].dir),
        name: key,
        stage: STAGE,
        httpPort: ctx.ports[SERVICES[key].http],
        websocketPort: ctx.ports[SERVICES[key].ws],
        lambdaPort: ctx.ports[SERVICES[key].lambda],
        env: {
          ...localServiceEnv(info, key),
          SLS_OFFLINE_MAX_CONCURRENCY: String(LOCAL_FUNCTION_CONCURRENCY),
          ...(answerDeadlineSeconds === undefined
            ? {}
            : { ANSWER_DEADLINE_SECONDS: String(answerDeadlineSeconds) }),
        },
        log: (line) => {
          metrics.collect(line);
          ctx.log(key, line);
        },
      }).then((process_: RunningProcess) => {
        ctx.running.push(process_);
        return process_;
      }),
    ),
  );

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
  const ctx: StackContext = { ports, dataDir, inMemory: options.inMemory ?? false, log, running: [] };
  const closeAll = async () => {
    for (const item of ctx.running.reverse()) {
      await item.close().catch((error: unknown) => log(item.name, `close failed: ${String(error)}`));
    }
    ctx.running.length = 0;
  };

  try {
    const templates = loadTemplates();
    // Packaged before anything starts: packaging next to DynamoDB Local's start would starve the
    // JVM of CPU on a small machine.
    const packaged = await packagedTemplates();
    const dynamo = await startDynamoDb(ctx);
    // Every role as packaged (the functions' execution roles, TenantDataAccessRole, …), which
    // function runs as which role, and the bus policies: what every stand-in evaluates.
    const iam = localIamOf(packaged, { accountId: LOCAL_ACCOUNT_ID, region: LOCAL_REGION, stage: STAGE });
    log('stack', `packaged templates read after ${Date.now() - started} ms`);
    const { sts, stsOutage, functionCredentials } = await startIdentity(ctx, iam);
    const gateway = await startDataGateway(ctx, dynamo.url(), sts, iam, templates);
    log('stack', `data stores ready after ${Date.now() - started} ms`);
    const { sqs, eventBridge, lambda, runFunction } = await startAsyncDelivery(ctx, sts, iam, templates);
    const bedrock = await startAgent(ctx, sts, iam, {
      model: options.model ?? modelFromEnv(),
      ...(options.maxAgentSteps === undefined ? {} : { maxSteps: options.maxAgentSteps }),
      ...(options.tamperActionGroupEvent ? { tamperActionGroupEvent: options.tamperActionGroupEvent } : {}),
    });
    const cognito = await startLocalCognito({
      dataDir,
      port: ports.cognito,
      authLambdaPort: ports.authLambda,
      authTemplate: templates.auth,
      region: LOCAL_REGION,
      accountId: LOCAL_ACCOUNT_ID,
      log: (line) => log('cognito', line),
    });
    ctx.running.push(cognito);
    log('stack', `stand-ins ready after ${Date.now() - started} ms`);
    const info = stackInfoOf(ports, {
      cognito,
      dynamodbUrl: gateway.url,
      eventBridgeUrl: eventBridge.url,
      stsUrl: sts.url,
      bedrockUrl: bedrock.url,
      sqsUrl: sqs.url,
      lambdaUrl: lambda.url,
      functionCredentialsFile: functionCredentials,
    });
    const metrics = createMetricsCollector(dataDir);
    ctx.running.push(await startLocalMetrics(info, ports.metrics, metrics));
    await startServices(ctx, info, options.answerDeadlineSeconds, metrics);
    log('stack', `services ready after ${Date.now() - started} ms`);
    const scheduler = startSchedules(ctx, runFunction, options.scheduleIntervalMs);
    if (options.web !== false) ctx.running.push(await serveWeb({ port: ports.web, info }));
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
      metrics,
      faults: { stsOutage, ...dynamo.faults, jwks: jwksFault(dataDir) },
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
