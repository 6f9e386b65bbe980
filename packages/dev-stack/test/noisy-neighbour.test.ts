import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { LIMIT_CODES, tierLimits } from '@tenant-assistant/tenant-context/tiers';
import { openSocket, signIn } from '../src/client';
import { type ChatUser, noisyNeighbour, setTenantTier } from '../src/noisy-neighbour';
import { testPorts } from '../src/ports';
import { KNOWN_DEV_PASSWORD, seedStack } from '../src/seed';
import { type RunningStack, STAGE, startStack } from '../src/stack';

// tenant1 floods at five times its tier's tenant limit while tenant2 chats at its normal rate:
// tenant1 is refused with 429s, tenant2 never, and nothing of a refused prompt is stored.
let stack: RunningStack;
let dataDir: string;
const users: ChatUser[] = [];

const chatUser = async (username: string): Promise<ChatUser> => {
  const session = await signIn(stack.info, username, KNOWN_DEV_PASSWORD);
  const chatter = { session, socket: await openSocket(stack.info, session) };
  users.push(chatter);
  return chatter;
};

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'tenant-assistant-noisy-'));
  stack = await startStack({
    dataDir,
    inMemory: true,
    web: false,
    ports: testPorts(27_000),
    ...(process.env.TA_DEBUG_LOG
      ? {
          log: (source: string, line: string) =>
            require('node:fs').appendFileSync(process.env.TA_DEBUG_LOG as string, `${source} ${line}\n`),
        }
      : {}),
  });
  await seedStack(stack.info, { knownPasswords: true, dataDir });
  // Tiers are data: set them as the admin API's tenant update does, before the first prompt.
  await setTenantTier(stack.info, 'tenant1', 'basic');
  await setTenantTier(stack.info, 'tenant2', 'standard');
}, 240_000);

afterAll(async () => {
  await Promise.all(users.map((user) => user.socket.close()));
  await stack?.close();
  await rm(dataDir, { recursive: true, force: true });
}, 60_000);

describe('a noisy neighbour', () => {
  test('is throttled by its own tier while the other tenant chats unthrottled', async () => {
    // Prepare
    const flooders = [await chatUser('tenant1-user'), await chatUser('tenant1-user2')];
    const victim = [await chatUser('tenant2-user')];
    const basic = tierLimits('basic');

    // Act
    const { alone, duringFlood, flood } = await noisyNeighbour(stack.info, {
      victim,
      flooders,
      victimPerMinute: 10,
      floodPerMinute: 5 * basic.tenantPromptsPerMinute,
      durationMs: 25_000,
      prompt: 'What is your return policy?',
    });

    // Assess: the flooding tenant is refused, with the codes of its own limits…
    const refused = Object.values(flood.refusals).reduce((sum, n) => sum + n, 0);
    expect(refused).toBeGreaterThan(0);
    expect(refused + flood.accepted).toBe(flood.sent);
    const throttles: string[] = [LIMIT_CODES.tenantRate, LIMIT_CODES.userRate, LIMIT_CODES.answersInFlight];
    for (const code of Object.keys(flood.refusals)) expect(throttles).toContain(code);
    // (25 s touch at most two minute windows of the tenant counter)
    expect(flood.accepted).toBeLessThanOrEqual(2 * basic.tenantPromptsPerMinute);
    expect(flood.failed).toBe(0);
    // …the other tenant never is, alone or during the flood, and every answer completes…
    expect(alone.refusals).toEqual({});
    expect(duringFlood.refusals).toEqual({});
    expect(alone.failed + duringFlood.failed).toBe(0);
    expect(duringFlood.latencies).toHaveLength(duringFlood.sent);
    // …and nothing of a refused prompt was stored: only the accepted answers exist for tenant1.
    const db = DynamoDBDocumentClient.from(
      new DynamoDBClient({
        region: stack.info.region,
        endpoint: stack.info.dynamodbUrl,
        credentials: stack.info.adminCredentials,
      }),
    );
    const { Items = [] } = await db.send(
      new ScanCommand({
        TableName: `tenant-assistant-chat-api-${STAGE}-answers`,
        FilterExpression: 'tenantId = :tenant',
        ExpressionAttributeValues: { ':tenant': 'tenant1' },
      }),
    );
    db.destroy();
    expect(Items).toHaveLength(flood.accepted);
  }, 180_000);
});
