/**
 * TEST-ONLY FAULTS of the local system, for the fault tests (never used by the run command): an
 * outage, a pause or a crash of one stand-in while prompts are in flight.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DynamoDbLocal } from '@tenant-assistant/local-stack';

export interface StackFaults {
  /** The STS stand-in stops answering (connections refused) for `ms`, then comes back. */
  stsOutage(ms: number): Promise<void>;
  /** DynamoDB Local is frozen (SIGSTOP: connections open, nothing answers) for `ms`, then continues (SIGCONT). */
  dynamodbPause(ms: number): Promise<void>;
  /**
   * DynamoDB Local is killed (SIGKILL), stays down for `downMs` (connections refused), then starts
   * again on the same port and data. Only for a stack with data on disk (not `inMemory`).
   */
  dynamodbCrash(downMs: number): Promise<void>;
  /**
   * The identity provider's JWKS (`/<pool>/.well-known/jwks.json`) answers after `delayMs`, or with
   * HTTP `status`, until called again with `undefined`. Other Cognito requests are untouched.
   */
  jwks(fault: JwksFault | undefined): void;
}

export interface JwksFault {
  delayMs?: number;
  status?: number;
}

/** Where the local Cognito's start script reads the JWKS fault from (see cognito-local-start.cjs). */
export const jwksFaultFile = (dataDir: string) => join(dataDir, 'cognito', 'jwks-fault.json');

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const dynamodbFaults = (
  current: () => DynamoDbLocal,
  restart: () => Promise<void>,
  persistent: boolean,
): Pick<StackFaults, 'dynamodbPause' | 'dynamodbCrash'> => ({
  dynamodbPause: async (ms) => {
    const { pid } = current();
    process.kill(pid, 'SIGSTOP');
    try {
      await sleep(ms);
    } finally {
      process.kill(pid, 'SIGCONT');
    }
  },
  dynamodbCrash: async (downMs) => {
    if (!persistent) throw new Error('dynamodbCrash needs a stack with data on disk (inMemory: false)');
    const dynamo = current();
    process.kill(dynamo.pid, 'SIGKILL');
    await dynamo.close(); // returns once the process is gone
    await sleep(downMs);
    await restart();
  },
});

export const jwksFault =
  (dataDir: string): StackFaults['jwks'] =>
  (fault) => {
    const file = jwksFaultFile(dataDir);
    if (fault === undefined) rmSync(file, { force: true });
    else writeFileSync(file, JSON.stringify(fault));
  };
