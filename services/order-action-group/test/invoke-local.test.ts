import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { invokeLocalResponse } from '@tenant-assistant/testing';
import { inIsolatedCopy } from './isolated-service';

const run = promisify(execFile);

/** What the action group answers Bedrock (the parts these tests read). */
interface ActionGroupResponse {
  messageVersion: string;
  response: { functionResponse: { responseBody: { TEXT: { body: string } } } } & Record<string, unknown>;
}

/** `serverless invoke local` of a sample event, offline, with no credentials but the sample's own. */
const invokeLocal = (fn: string, sample: string, env: Record<string, string> = {}) =>
  inIsolatedCopy(async (dir) => {
    const childEnv: NodeJS.ProcessEnv = { ...process.env, AWS_EC2_METADATA_DISABLED: 'true', ...env };
    for (const name of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE']) {
      delete childEnv[name];
    }
    const started = Date.now();
    const { stdout, stderr } = await run(
      join(dir, 'node_modules', '.bin', 'serverless'),
      ['invoke', 'local', '-f', fn, '-p', join('events', sample)],
      { cwd: dir, env: childEnv, timeout: 90_000, maxBuffer: 16 * 1024 * 1024 },
    );
    return {
      response: invokeLocalResponse(stdout) as ActionGroupResponse,
      logs: `${stdout}\n${stderr}`.split('\n').filter((line) => line.startsWith('{"level"')),
      seconds: (Date.now() - started) / 1000,
    };
  });

describe('serverless invoke local', () => {
  it('answers the get-return-policy sample with a FAILURE envelope when DynamoDB is unreachable', async () => {
    // Act
    const { response, logs, seconds } = await invokeLocal('actionGroup', 'get-return-policy.json', {
      AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:9',
      AWS_REGION: 'us-east-1',
    });

    // Assess
    expect(response.messageVersion).toBe('1.0');
    expect(response.response).toMatchObject({
      actionGroup: 'order-actions',
      function: 'getReturnPolicy',
      functionResponse: { responseState: 'FAILURE' },
    });
    expect(JSON.parse(response.response.functionResponse.responseBody.TEXT.body)).toEqual({
      error: 'DATA_UNAVAILABLE',
      message: 'The order data is unavailable right now; please try again later',
    });
    expect(logs.join('\n')).toContain('"error_code":"DATA_UNAVAILABLE"');
    expect(logs.join('\n')).not.toContain('exampleScopedSecretAccessKey');
    expect(seconds).toBeLessThan(60);
  }, 120_000);
});
