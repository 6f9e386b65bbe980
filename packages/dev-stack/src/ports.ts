import { createServer } from 'node:net';

/** Every port the local system listens on (all on 127.0.0.1). */
export interface StackPorts {
  cognito: number;
  dynamodb: number;
  dynamodbGateway: number;
  sts: number;
  eventBridge: number;
  bedrock: number;
  sqs: number;
  lambda: number;
  chatApiHttp: number;
  chatApiWebSocket: number;
  chatApiLambda: number;
  authHttp: number;
  authWebSocket: number;
  authLambda: number;
  orderActionGroupHttp: number;
  orderActionGroupWebSocket: number;
  orderActionGroupLambda: number;
  agentInvokerHttp: number;
  agentInvokerWebSocket: number;
  agentInvokerLambda: number;
  web: number;
  /** The local metrics the functions print (served to the usage page and `scripts/usage`). */
  metrics: number;
}

/** The documented default ports. */
export const DEFAULT_PORTS: StackPorts = {
  cognito: 9229,
  dynamodb: 8000,
  dynamodbGateway: 8001,
  sts: 8002,
  eventBridge: 8003,
  bedrock: 8004,
  sqs: 8005,
  lambda: 8006,
  chatApiHttp: 3000,
  chatApiWebSocket: 3001,
  chatApiLambda: 3002,
  authHttp: 3010,
  authWebSocket: 3011,
  authLambda: 3012,
  orderActionGroupHttp: 3020,
  orderActionGroupWebSocket: 3021,
  orderActionGroupLambda: 3022,
  agentInvokerHttp: 3030,
  agentInvokerWebSocket: 3031,
  agentInvokerLambda: 3032,
  web: 5173,
  metrics: 8007,
};

const envName = (key: string) => `TA_PORT_${key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;

/**
 * Ports from the defaults, shifted by `offset` (TA_PORT_OFFSET) and overridden one by one with
 * `TA_PORT_<NAME>` (e.g. TA_PORT_CHAT_API_HTTP=4000).
 */
export const resolvePorts = (
  env: NodeJS.ProcessEnv = process.env,
  offset = Number(env.TA_PORT_OFFSET ?? 0),
): StackPorts => {
  if (!Number.isInteger(offset) || offset < 0 || offset > 50_000)
    throw new Error('TA_PORT_OFFSET must be a whole number from 0 to 50000');
  const ports = {} as StackPorts;
  for (const [key, value] of Object.entries(DEFAULT_PORTS) as [keyof StackPorts, number][]) {
    const override = env[envName(key)];
    const port = override === undefined || override === '' ? value + offset : Number(override);
    if (!Number.isInteger(port) || port < 1 || port > 65_535)
      throw new Error(`${envName(key)} must be a port number`);
    ports[key] = port;
  }
  const seen = new Map<number, string>();
  for (const [key, port] of Object.entries(ports)) {
    const other = seen.get(port);
    if (other) throw new Error(`Ports clash: ${other} and ${key} both use ${port}`);
    seen.set(port, key);
  }
  return ports;
};

/**
 * Where each suite (and the benchmark) that starts a whole system puts it: the defaults shifted by
 * these offsets. Every port stays below 32768, where Linux's ephemeral range starts (the source ports
 * of the machine's own outgoing connections, which would otherwise take a server port at random),
 * and no two suites share a port (ports.test.ts checks both).
 */
export const TEST_PORT_OFFSETS = {
  hostileModel: 12_000,
  invokeLocal: 13_500,
  e2e: 20_000,
  bench: 21_000,
  faults: 22_000,
  load: 22_500,
  web: 23_000,
  observability: 14_500,
  noisyNeighbour: 15_500,
} as const;

/**
 * Ports for a system a test or benchmark starts on its own: the defaults shifted by `baseOffset`
 * (one of {@link TEST_PORT_OFFSETS}) plus `TA_TEST_PORT_SHIFT` (default 0), so several checkouts can
 * run their suites side by side (give each its own multiple of 100).
 */
export const testPorts = (baseOffset: number, env: NodeJS.ProcessEnv = process.env): StackPorts => {
  const shift = Number(env.TA_TEST_PORT_SHIFT ?? 0);
  if (!Number.isInteger(shift) || shift < 0 || shift > 10_000)
    throw new Error('TA_TEST_PORT_SHIFT must be a whole number from 0 to 10000');
  return resolvePorts({}, baseOffset + shift);
};

const isFree = (port: number) =>
  new Promise<boolean>((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ host: '127.0.0.1', port, exclusive: true }, () => server.close(() => resolve(true)));
  });

/** Throws one clear error naming every port that is already taken and how to move it. */
export const assertPortsFree = async (ports: StackPorts): Promise<void> => {
  const taken: string[] = [];
  for (const [key, port] of Object.entries(ports)) {
    if (!(await isFree(port))) taken.push(`  ${port} (${key}) — set ${envName(key)}=<port>`);
  }
  if (taken.length > 0) {
    throw new Error(
      `These ports on 127.0.0.1 are already in use:\n${taken.join('\n')}\n` +
        'Stop whatever uses them (another dev stack?), or move the whole stack with TA_PORT_OFFSET=<n>.',
    );
  }
};
