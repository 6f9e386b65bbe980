import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateTableCommand,
  DynamoDBClient,
  GetItemCommand,
  ListTablesCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { type DynamoDbLocal, LoopbackOnlyError, StandInStartError, startDynamoDbLocal } from '../src';

const client = (url: string, accessKeyId: string) =>
  new DynamoDBClient({
    endpoint: url,
    region: 'us-east-1',
    credentials: { accessKeyId, secretAccessKey: 'x' },
    maxAttempts: 1,
  });

const isRunning = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Listening sockets on `port` from /proc/net/tcp and tcp6, as hex local addresses. */
const listeningAddresses = (port: number): string[] => {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  return ['/proc/net/tcp', '/proc/net/tcp6'].flatMap((file) =>
    readFileSync(file, 'utf8')
      .split('\n')
      .slice(1)
      .map((line) => line.trim().split(/\s+/))
      .filter((fields) => fields[1]?.endsWith(`:${hexPort}`) && fields[3] === '0A')
      .map((fields) => (fields[1] as string).split(':')[0] as string),
  );
};

const LOOPBACK_HEX = new Set([
  '0100007F',
  '0000000000000000FFFF00000100007F',
  '00000000000000000000000001000000',
]);

const createTable = (db: DynamoDBClient, TableName: string) =>
  db.send(
    new CreateTableCommand({
      TableName,
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );

describe('startDynamoDbLocal', () => {
  let local: DynamoDbLocal;

  beforeAll(async () => {
    local = await startDynamoDbLocal({ port: 0 });
  });

  afterAll(async () => {
    await local.close();
  });

  it('answers on a loopback port chosen by the system', async () => {
    // Act
    const tables = await client(local.url, 'anyone').send(new ListTablesCommand({}));

    // Assess
    expect(local.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(local.port).toBeGreaterThan(0);
    expect(tables.TableNames).toEqual([]);
  });

  it('binds to loopback only', () => {
    // Act
    const addresses = listeningAddresses(local.port);

    // Assess
    expect(addresses.length).toBeGreaterThan(0);
    for (const address of addresses) expect(LOOPBACK_HEX.has(address)).toBe(true);
  });

  it('shares one database between different access keys (sharedDb)', async () => {
    // Prepare
    await createTable(client(local.url, 'seedingadmin'), 'shared');
    await client(local.url, 'seedingadmin').send(
      new PutItemCommand({ TableName: 'shared', Item: { pk: { S: 'tenant1' }, v: { N: '1' } } }),
    );

    // Act
    const item = await client(local.url, 'ASIATENANTSESSION').send(
      new GetItemCommand({ TableName: 'shared', Key: { pk: { S: 'tenant1' } } }),
    );

    // Assess
    expect(item.Item?.v).toEqual({ N: '1' });
  });
});

describe('startDynamoDbLocal lifecycle', () => {
  it('kills the Java process on close and leaves no orphan behind', async () => {
    // Prepare
    const local = await startDynamoDbLocal({ port: 0 });
    const pid = local.pid;
    expect(isRunning(pid)).toBe(true);

    // Act
    await local.close();
    await local.close(); // idempotent

    // Assess
    expect(isRunning(pid)).toBe(false);
    expect(existsSync(`/proc/${pid}`)).toBe(false);
  });

  it('stops DynamoDB Local when the Node process that started it is killed', async () => {
    // Prepare: another Node process starts DynamoDB Local and reports the Java pid.
    const starter = spawn(
      process.execPath,
      ['--import', 'tsx', join(__dirname, 'support', 'start-dynamodb-and-wait.ts')],
      {
        cwd: join(__dirname, '..'),
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    const javaPid = await new Promise<number>((resolve, reject) => {
      let out = '';
      starter.stdout?.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const match = /PID (\d+)/.exec(out);
        if (match) resolve(Number(match[1]));
      });
      starter.once('exit', (code) => reject(new Error(`starter exited with ${code}`)));
    });
    expect(isRunning(javaPid)).toBe(true);

    // Act
    starter.kill('SIGKILL');

    // Assess
    const deadline = Date.now() + 10_000;
    while (isRunning(javaPid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(isRunning(javaPid)).toBe(false);
  });

  it('keeps data in dbPath across restarts', async () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'ddb-local-test-'));
    try {
      const first = await startDynamoDbLocal({ port: 0, dbPath: dir });
      try {
        await createTable(client(first.url, 'admin'), 'persisted');
      } finally {
        await first.close();
      }

      // Act
      const second = await startDynamoDbLocal({ port: 0, dbPath: dir });
      const tables = await client(second.url, 'otherkey')
        .send(new ListTablesCommand({}))
        .finally(() => second.close());

      // Assess
      expect(tables.TableNames).toEqual(['persisted']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000); // two JVM starts (each may take up to its 30 s start timeout on a busy machine) and stops

  it('refuses a non-loopback host and contradictory storage options', async () => {
    await expect(startDynamoDbLocal({ host: '0.0.0.0' })).rejects.toBeInstanceOf(LoopbackOnlyError);
    await expect(startDynamoDbLocal({ dbPath: '/tmp/x', inMemory: true })).rejects.toBeInstanceOf(
      StandInStartError,
    );
  });

  it('reports a missing Java clearly', async () => {
    await expect(startDynamoDbLocal({ port: 0, javaCommand: '/nonexistent/java' })).rejects.toThrow(
      /Java 17/,
    );
  });
});
