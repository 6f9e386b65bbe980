import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageService, resourcesOfType } from './serverless-package';

describe('packageService', () => {
  test('refuses a folder without the serverless framework installed', async () => {
    // Prepare
    const dir = await mkdtemp(join(tmpdir(), 'no-sls-'));

    // Act / Assess
    await expect(packageService(dir)).rejects.toThrow(/serverless is not installed/);
    await rm(dir, { recursive: true, force: true });
  });
});

describe('resourcesOfType', () => {
  test('returns only the resources of the given type', () => {
    // Prepare
    const template = {
      Resources: {
        A: { Type: 'AWS::SQS::Queue' },
        B: { Type: 'AWS::SNS::Topic' },
        C: { Type: 'AWS::SQS::Queue' },
      },
    };

    // Act
    const queues = resourcesOfType(template, 'AWS::SQS::Queue');

    // Assess
    expect(queues.map(([id]) => id)).toEqual(['A', 'C']);
  });
});
