import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StackPorts } from './ports';

/** The repository root (this file lives in packages/dev-stack/src). */
export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** Where the local system keeps its data (DynamoDB, Cognito) across restarts. */
export const defaultDataDir = (): string => process.env.TA_DATA_DIR ?? join(REPO_ROOT, '.local-data');

/** Everything a client of the running local system needs to reach it. */
export interface StackInfo {
  region: string;
  accountId: string;
  stage: string;
  userPoolId: string;
  webClientId: string;
  cognitoUrl: string;
  cognitoIssuer: string;
  chatApiUrl: string;
  /** The admin API of the auth service (tenants for platform admins, users for tenant admins). */
  adminApiUrl: string;
  webSocketUrl: string;
  webUrl: string;
  dynamodbUrl: string;
  eventBridgeUrl: string;
  stsUrl: string;
  bedrockUrl: string;
  /** The local SQS stand-in holding the dead-letter queues. */
  sqsUrl: string;
  /** The local Lambda Invoke stand-in (asynchronous invocations are retried and dead-lettered as in AWS). */
  lambdaUrl: string;
  /** The metric lines the functions printed, per tenant (`GET /metrics`, admins; local-metrics.ts). */
  metricsUrl: string;
  /** The dev tools' key: authenticated but never evaluated (seeding, scripts). No function uses it. */
  adminCredentials: { accessKeyId: string; secretAccessKey: string };
  /** Each function's credentials for its own execution role (read by the local serverless plugin). */
  functionCredentialsFile: string;
  tenantConfigTableName: string;
  ordersTablePrefix: string;
  ports: StackPorts;
  pid: number;
}

export const stateFile = (dataDir = defaultDataDir()): string => join(dataDir, 'stack.json');

export const writeStackInfo = (info: StackInfo, dataDir = defaultDataDir()): void => {
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(stateFile(dataDir), `${JSON.stringify(info, null, 2)}\n`);
};

/** Reads the running system's details, with a clear message when it is not running. */
export const readStackInfo = (dataDir = defaultDataDir()): StackInfo => {
  const file = stateFile(dataDir);
  if (!existsSync(file)) {
    throw new Error('The local system is not running: start it with ./scripts/dev.sh (see the README).');
  }
  const info = JSON.parse(readFileSync(file, 'utf8')) as StackInfo;
  try {
    process.kill(info.pid, 0);
  } catch {
    throw new Error('The local system is not running (stale state): start it with ./scripts/dev.sh.');
  }
  return info;
};
