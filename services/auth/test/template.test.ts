import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { invokeLocalResponse, webAddressParams } from '@tenant-assistant/testing';
import { packageStages, serviceDir } from './support/template';

/**
 * auth's packaged CloudFormation template, stage by stage. `serverless package` is slow, so it runs
 * once per stage here, for every subject in test/template/, and the subjects are registered below.
 */
import './template/user-pool';
import './template/clients-and-identities';
import './template/function-roles';
import './template/functions-and-outputs';

beforeAll(packageStages, 600_000);

describe('serverless invoke local', () => {
  it('runs preTokenGeneration on the sample event offline and prints the added claims', async () => {
    // Prepare
    // A stand-in for the tenant registry's GetItem (the trigger asks whether tenant1 is active).
    const registry = createServer((request, response) => {
      request.resume();
      response.setHeader('content-type', 'application/x-amz-json-1.0');
      response.end(
        JSON.stringify({
          Item: { tenantId: { S: 'tenant1' }, status: { S: 'ACTIVE' }, name: { S: 'Tenant One' } },
        }),
      );
    });
    await new Promise<void>((resolve) => registry.listen(0, '127.0.0.1', resolve));
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_ENDPOINT_URL_DYNAMODB: `http://127.0.0.1:${(registry.address() as AddressInfo).port}`,
    };
    for (const name of ['AWS_SESSION_TOKEN', 'AWS_PROFILE']) delete env[name];

    // Act: after the packaging above, never concurrently with it: both use the service's .esbuild folder.
    const { stdout } = await promisify(execFile)(
      join(serviceDir, 'node_modules', '.bin', 'serverless'),
      [
        'invoke',
        'local',
        '-f',
        'preTokenGeneration',
        '-p',
        'events/pre-token-generation.json',
        ...Object.entries(webAddressParams).flatMap(([name, value]) => ['--param', `${name}=${value}`]),
      ],
      { cwd: serviceDir, env, timeout: 60_000 },
    ).finally(() => registry.close());
    const printed = invokeLocalResponse(stdout) as {
      response: { claimsAndScopeOverrideDetails: Record<string, unknown> };
    };
    const claims = { claimsToAddOrOverride: { tenantId: 'tenant1', tenantRole: 'tenant-tenant1' } };

    // Assess
    expect(printed.response.claimsAndScopeOverrideDetails).toEqual({
      idTokenGeneration: claims,
      accessTokenGeneration: claims,
    });
  }, 60_000);
});
