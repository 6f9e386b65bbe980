import {
  AdminDeleteUserCommand,
  AdminUserGlobalSignOutCommand,
  DeleteGroupCommand,
  GetGroupCommand,
  ListUsersInGroupCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { DeleteObjectsCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { awsError, tenantRecord } from '../../../test/support';
import * as admin from '../../../test/support/tenants-admin';

const offboard = async (tenantId: string, body: unknown) =>
  admin.call({
    ...admin.tenantAction('offboard', tenantId),
    token: await admin.platformToken(),
    body,
  });
const member = (username: string, tenantId: string) => ({
  Username: username,
  Attributes: [
    { Name: 'sub', Value: admin.plainSub },
    { Name: 'custom:tenantId', Value: tenantId },
  ],
});
const offboardingItem = {
  ...tenantRecord('acme'),
  status: 'OFFBOARDING',
  offboarding: {
    requestedAt: '2026-01-02T00:00:00.000Z',
    services: {
      auth: { status: 'PENDING' },
      'chat-api': { status: 'PENDING' },
      'order-action-group': { status: 'PENDING' },
    },
  },
};

describe('tenantsAdmin offboarding', () => {
  it('deletes the tenant’s users, groups and files, marks auth DONE and publishes TenantOffboarded', async () => {
    // Prepare
    admin.cognitoMock.on(GetGroupCommand).resolves({ Group: { GroupName: 'x', Description: 'd' } });
    admin.cognitoMock
      .on(ListUsersInGroupCommand, { GroupName: 'tenant-acme' })
      .resolves({ Users: [member('acme-user', 'acme'), member('stray', 'other')] })
      .on(ListUsersInGroupCommand, { GroupName: 'admin-acme' })
      .resolves({ Users: [member('acme-admin', 'acme')] });
    admin.cognitoMock.on(AdminUserGlobalSignOutCommand).resolves({});
    admin.cognitoMock.on(AdminDeleteUserCommand).resolves({});
    admin.cognitoMock.on(DeleteGroupCommand).resolves({});
    admin.s3Mock
      .on(ListObjectsV2Command)
      .resolves({ Contents: [{ Key: 'acme/a.pdf' }, { Key: 'acme/b.pdf' }] });
    admin.s3Mock.on(DeleteObjectsCommand).resolves({});
    admin.documentsMock.on(UpdateCommand).resolves({ Attributes: offboardingItem });

    // Act
    const response = await offboard('acme', { confirm: 'acme' });

    // Assess
    expect(response.statusCode).toBe(202);
    expect(response.body).toMatchObject({ tenantId: 'acme', status: 'OFFBOARDING' });
    const deletedUsers = admin.cognitoMock
      .commandCalls(AdminDeleteUserCommand)
      .map((c) => c.args[0].input.Username);
    expect(deletedUsers.sort()).toEqual(['acme-admin', 'acme-user']);
    expect(admin.cognitoMock.commandCalls(AdminUserGlobalSignOutCommand)).toHaveLength(2);
    expect(admin.cognitoMock.commandCalls(DeleteGroupCommand).map((c) => c.args[0].input.GroupName)).toEqual([
      'tenant-acme',
      'admin-acme',
    ]);
    expect(admin.s3Mock.commandCalls(ListObjectsV2Command)[0]?.args[0].input).toMatchObject({
      Bucket: 'tenant-files',
      Prefix: 'acme/',
    });
    const [begin, step] = admin.documentsMock.commandCalls(UpdateCommand).map((c) => c.args[0].input);
    expect(begin?.ExpressionAttributeValues?.[':offboarding']).toBe('OFFBOARDING');
    expect(step?.ExpressionAttributeValues?.[':step']).toMatchObject({
      status: 'DONE',
      deleted: { users: 2, groups: 2, files: 2 },
    });
    const entries = admin.eventBridgeMock.commandCalls(PutEventsCommand)[0]?.args[0].input.Entries;
    expect(entries).toEqual([
      expect.objectContaining({
        Source: 'tenant-assistant.auth',
        DetailType: 'TenantOffboarded',
        Detail: JSON.stringify({ tenantId: 'acme' }),
      }),
    ]);
  });

  it('redoes only what is missing on a repeat and publishes again', async () => {
    // Prepare: the groups and users are gone already; auth's step was recorded
    admin.cognitoMock.on(GetGroupCommand).rejects(awsError('ResourceNotFoundException'));
    admin.cognitoMock.on(DeleteGroupCommand).rejects(awsError('ResourceNotFoundException'));
    admin.s3Mock.on(ListObjectsV2Command).resolves({});
    admin.documentsMock
      .on(UpdateCommand)
      .resolvesOnce({ Attributes: offboardingItem })
      .rejects(awsError('ConditionalCheckFailedException'));
    admin.documentsMock.on(GetCommand).resolves({ Item: offboardingItem });

    // Act
    const response = await offboard('acme', { confirm: 'acme' });

    // Assess
    expect(response.statusCode).toBe(202);
    expect(admin.cognitoMock.commandCalls(AdminDeleteUserCommand)).toHaveLength(0);
    expect(admin.s3Mock.commandCalls(DeleteObjectsCommand)).toHaveLength(0);
    expect(admin.eventBridgeMock.commandCalls(PutEventsCommand)).toHaveLength(1);
  });

  it('returns an offboarded tenant’s tombstone and publishes nothing', async () => {
    // Prepare
    const tombstone = {
      tenantId: 'acme',
      status: 'OFFBOARDED',
      offboarding: { ...offboardingItem.offboarding, completedAt: '2026-01-03T00:00:00.000Z' },
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-03T00:00:00.000Z',
    };
    admin.documentsMock.on(UpdateCommand).rejects(awsError('ConditionalCheckFailedException'));
    admin.documentsMock.on(GetCommand).resolves({ Item: tombstone });

    // Act
    const response = await offboard('acme', { confirm: 'acme' });

    // Assess
    expect(response).toEqual({ statusCode: 202, body: tombstone });
    expect(admin.cognitoMock.commandCalls(ListUsersInGroupCommand)).toHaveLength(0);
    expect(admin.eventBridgeMock.commandCalls(PutEventsCommand)).toHaveLength(0);
  });

  it.each([[undefined], [{}], [{ confirm: 'acm' }], [{ confirm: 'acme', extra: 1 }]])(
    'refuses a body %j that does not repeat the tenant id with 400, changing nothing',
    async (body) => {
      // Act
      const response = await offboard('acme', body);

      // Assess
      expect(response.statusCode).toBe(400);
      expect(admin.documentsMock.commandCalls(UpdateCommand)).toHaveLength(0);
      expect(admin.writes()).toHaveLength(0);
    },
  );

  it('refuses to offboard the platform admin’s own tenant with 409', async () => {
    // Act
    const response = await offboard('tenant1', { confirm: 'tenant1' });

    // Assess
    expect(response.statusCode).toBe(409);
    expect(admin.documentsMock.commandCalls(UpdateCommand)).toHaveLength(0);
    expect(admin.writes()).toHaveLength(0);
  });

  it('answers 404 for an unknown tenant', async () => {
    // Prepare
    admin.documentsMock.on(UpdateCommand).rejects(awsError('ConditionalCheckFailedException'));
    admin.documentsMock.on(GetCommand).resolves({});

    // Act
    const response = await offboard('ghost', { confirm: 'ghost' });

    // Assess
    expect(response.statusCode).toBe(404);
    expect(admin.eventBridgeMock.commandCalls(PutEventsCommand)).toHaveLength(0);
  });

  it('refuses to resume or update a tenant that is being offboarded with 409', async () => {
    // Prepare
    admin.documentsMock.on(UpdateCommand).rejects(awsError('ConditionalCheckFailedException'));
    admin.documentsMock.on(GetCommand).resolves({ Item: offboardingItem });
    const token = await admin.platformToken();

    // Act
    const resumed = await admin.call({ ...admin.tenantAction('resume', 'acme'), token });
    const updated = await admin.call({ ...admin.updateTenant('acme', { returnPolicyDays: 1 }), token });

    // Assess
    expect(resumed.statusCode).toBe(409);
    expect(resumed.body).toMatchObject({ error: { code: 'TENANT_OFFBOARDED' } });
    expect(updated.statusCode).toBe(409);
    expect(admin.eventBridgeMock.commandCalls(PutEventsCommand)).toHaveLength(0);
  });
});
