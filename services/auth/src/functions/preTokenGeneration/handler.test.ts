import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { captureOutput, lambdaContext } from '@tenant-assistant/testing';
import { mockClient } from 'aws-sdk-client-mock';
import { registryOf, silentLogger, tenantRecord, preTokenEvent as v2Event } from '../../../test/support';
import type { PreTokenGenerationEvent } from '../../domain/claims';
import { TenantlessUserError, TenantSuspendedSignInError } from '../../errors';
import { handler, makeHandler } from './handler';

const sample = (name: string): PreTokenGenerationEvent =>
  JSON.parse(readFileSync(join(__dirname, '../../../events', name), 'utf8')) as PreTokenGenerationEvent;

const documentsMock = mockClient(DynamoDBDocumentClient);
const registry = registryOf(
  tenantRecord('acme'),
  tenantRecord('tenant1'),
  tenantRecord('frozen', { status: 'SUSPENDED' }),
);
const run = makeHandler({ registry: () => registry, logger: silentLogger() });
const refusal = 'Sign-in refused: this user is not assigned to a valid tenant';

describe('preTokenGeneration', () => {
  it('refuses a user whose tenant is suspended, with a message saying so', async () => {
    // Act
    const event = v2Event({ 'custom:tenantId': 'frozen' }, ['tenant-frozen']);

    // Assess
    await expect(run(event)).rejects.toThrow(TenantSuspendedSignInError);
    await expect(run(v2Event({ 'custom:tenantId': 'frozen' }, []))).rejects.toThrow(
      "Sign-in refused: your organisation's account is suspended; contact your administrator",
    );
  });

  it('refuses a user whose tenant is not in the registry (never onboarded or offboarded)', async () => {
    // Act / Assess
    await expect(run(v2Event({ 'custom:tenantId': 'gone' }, ['tenant-gone']))).rejects.toThrow(
      'Sign-in refused: this user is not assigned to a valid tenant',
    );
  });

  it("refuses a user in another tenant's admin group", async () => {
    // Act / Assess
    await expect(
      run(v2Event({ 'custom:tenantId': 'acme' }, ['tenant-acme', 'admin-globex'])),
    ).rejects.toThrow(TenantlessUserError);
  });

  it('adds tenantId and tenantRole to the ID and the access token of a V2 event', async () => {
    // Prepare
    const event = v2Event();

    const result = await run(event);

    const expected = { claimsToAddOrOverride: { tenantId: 'acme', tenantRole: 'tenant-acme' } };

    // Act / Assess
    expect(result.response?.claimsAndScopeOverrideDetails).toEqual({
      idTokenGeneration: expected,
      accessTokenGeneration: expected,
    });
  });

  it('adds no tenantRole when the user is not in its tenant group', async () => {
    // Prepare
    const event = v2Event({ 'custom:tenantId': 'acme' }, []);

    // Act
    const result = await run(event);

    // Assess
    expect(result.response?.claimsAndScopeOverrideDetails?.accessTokenGeneration).toEqual({
      claimsToAddOrOverride: { tenantId: 'acme' },
    });
  });

  it('ignores groups that are not tenant groups', async () => {
    // Prepare
    const event = v2Event({ 'custom:tenantId': 'acme' }, ['admins', 'tenant-acme']);

    // Act
    const result = await run(event);

    // Assess
    expect(result.response?.claimsAndScopeOverrideDetails?.idTokenGeneration?.claimsToAddOrOverride).toEqual({
      tenantId: 'acme',
      tenantRole: 'tenant-acme',
    });
  });

  it('keeps what the response already held and overrides a tenantId claim it carried', async () => {
    // Prepare
    const event = v2Event();
    event.response = {
      claimsAndScopeOverrideDetails: {
        idTokenGeneration: {
          claimsToAddOrOverride: { plan: 'gold', tenantId: 'other' },
          claimsToSuppress: ['x'],
        },
        accessTokenGeneration: { scopesToAdd: ['orders/read'] },
        groupOverrideDetails: { groupsToOverride: ['tenant-acme'] },
      },
    };

    // Act
    const result = await run(event);

    // Assess
    expect(result.response?.claimsAndScopeOverrideDetails).toEqual({
      idTokenGeneration: {
        claimsToAddOrOverride: { plan: 'gold', tenantId: 'acme', tenantRole: 'tenant-acme' },
        claimsToSuppress: ['x'],
      },
      accessTokenGeneration: {
        scopesToAdd: ['orders/read'],
        claimsToAddOrOverride: { tenantId: 'acme', tenantRole: 'tenant-acme' },
      },
      groupOverrideDetails: { groupsToOverride: ['tenant-acme'] },
    });
  });

  it('answers a V1 event in the V1 shape (ID token claims)', async () => {
    // Prepare
    const event = { ...v2Event(), version: '1', response: { claimsOverrideDetails: null } };

    // Act
    const result = await run(event);

    // Assess
    expect(result.response).toEqual({
      claimsOverrideDetails: { claimsToAddOrOverride: { tenantId: 'acme', tenantRole: 'tenant-acme' } },
    });
  });

  it("answers cognito-local's event (version 0, V1 shape, no groups) so local ID tokens get tenantId", async () => {
    // Prepare
    const event = sample('pre-token-generation-cognito-local.json');

    // Act
    const result = await run(event);

    // Assess
    expect(result.response).toEqual({
      claimsOverrideDetails: { claimsToAddOrOverride: { tenantId: 'tenant1' } },
    });
  });

  it('adds the claims to the sample V2 event of events/', async () => {
    // Prepare
    const event = sample('pre-token-generation.json');

    // Act
    const result = await run(event);

    // Assess
    expect(result.response?.claimsAndScopeOverrideDetails?.idTokenGeneration?.claimsToAddOrOverride).toEqual({
      tenantId: 'tenant1',
      tenantRole: 'tenant-tenant1',
    });
  });

  it('refuses a user without custom:tenantId', async () => {
    // Act
    const event = v2Event({}, []);
    delete event.request?.userAttributes?.['custom:tenantId'];

    // Assess
    await expect(run(event)).rejects.toThrow(new TenantlessUserError(refusal));
  });

  it.each([
    ['empty', ''],
    ['a wildcard', '*'],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal policy variable the input must refuse
    ['a policy variable', '${aws:username}'],
    ['uppercase', 'Acme'],
    ['a path', 'acme/../other'],
    ['whitespace', ' acme'],
    ['one character', 'a'],
    ['64 characters', `a${'b'.repeat(63)}`],
  ])('refuses a user whose tenant is %s', async (_, tenantId) => {
    // Act
    const event = v2Event({ 'custom:tenantId': tenantId }, []);

    // Assess
    await expect(run(event)).rejects.toThrow(refusal);
    expect(event.response).toEqual({ claimsAndScopeOverrideDetails: null });
  });

  it.each([
    ['no userAttributes', { ...v2Event(), request: { groupConfiguration: {} } }],
    ['a null request', { ...v2Event(), request: null }],
    ['no request or response', { version: '2' }],
    ['an empty event', {}],
  ])('refuses, without crashing, an event with %s', async (_, event) => {
    // Act / Assess
    await expect(run(event as PreTokenGenerationEvent)).rejects.toBeInstanceOf(TenantlessUserError);
  });

  it("refuses a user who is in another tenant's group, without naming that tenant", async () => {
    // Prepare
    const event = v2Event({ 'custom:tenantId': 'acme' }, ['tenant-acme', 'tenant-globex']);

    // Act
    const error = await run(event).catch((caught: unknown) => caught);

    // Assess
    expect(error).toBeInstanceOf(TenantlessUserError);
    expect((error as Error).message).toBe("Sign-in refused: this user is in another tenant's group");
    expect((error as Error).message).not.toContain('globex');
  });

  it('rejects through the deployed handler with the message Cognito shows, and logs the refusal', async () => {
    // Prepare
    const event = v2Event({ 'custom:tenantId': '*' }, []);

    // Act
    const { result, output } = await captureOutput(() =>
      handler(event, lambdaContext()).then(
        () => undefined,
        (error: unknown) => error,
      ),
    );

    // Assess
    expect(result).toMatchObject({ name: 'TenantlessUserError', message: refusal });
    expect(output).toContain('preTokenGeneration refused');
    expect(output).toContain('NO_TENANT');
  });

  it('returns the event through the deployed handler and logs the tenant', async () => {
    // Prepare
    process.env.TENANTS_TABLE_NAME = 'tenant-assistant-auth-test-tenants';
    documentsMock.on(GetCommand).resolves({ Item: tenantRecord('acme') });
    const event = v2Event();

    // Act
    const { result, output } = await captureOutput(() => handler(event, lambdaContext()));

    // Assess
    expect(
      result.response?.claimsAndScopeOverrideDetails?.idTokenGeneration?.claimsToAddOrOverride?.tenantId,
    ).toBe('acme');
    const lines = output
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.find((line) => line.message === 'Tenant claims added')).toMatchObject({ tenant_id: 'acme' });
  });
});
