import {
  AdminGetUserCommand,
  CognitoIdentityProviderClient,
  UserNotFoundException,
} from '@aws-sdk/client-cognito-identity-provider';
import { mockClient } from 'aws-sdk-client-mock';
import { cognitoMembershipLookup, createMembershipVerifier, type UserMembership } from './membership';

const user1 = '6f1c2e4a-0b7d-4c1e-9a53-2d8e7f6a5b4c';
const user2 = '0d9e8f7a-6b5c-4d3e-8f21-0a9b8c7d6e5f';

describe('createMembershipVerifier', () => {
  const verifierWith = (users: Record<string, UserMembership>, ttlMs?: number) => {
    const calls: string[] = [];
    const verifier = createMembershipVerifier({
      lookup: async (userId) => {
        calls.push(userId);
        return users[userId];
      },
      ...(ttlMs === undefined ? {} : { ttlMs }),
    });
    return { verifier, calls };
  };

  it('accepts an enabled user of the named tenant and refuses any other tenant', async () => {
    // Prepare
    const { verifier } = verifierWith({ [user1]: { tenantId: 'tenant1', enabled: true } });

    // Act / Assess
    expect(await verifier.isMember('tenant1', user1)).toBe(true);
    expect(await verifier.isMember('tenant2', user1)).toBe(false);
    expect(await verifier.isMember('*', user1)).toBe(false);
  });

  it('refuses an unknown user, a disabled user and a user without a tenant', async () => {
    // Prepare
    const { verifier } = verifierWith({
      [user1]: { tenantId: 'tenant1', enabled: false },
      [user2]: { tenantId: undefined, enabled: true },
    });

    // Act / Assess
    expect(await verifier.isMember('tenant1', user1)).toBe(false);
    expect(await verifier.isMember('tenant1', user2)).toBe(false);
    expect(await verifier.isMember('tenant1', '11111111-2222-4333-8444-555555555555')).toBe(false);
  });

  it('looks each user up once while the answer is fresh, concurrent checks included', async () => {
    // Prepare
    const { verifier, calls } = verifierWith({ [user1]: { tenantId: 'tenant1', enabled: true } });

    // Act
    await Promise.all([verifier.isMember('tenant1', user1), verifier.isMember('tenant2', user1)]);
    await verifier.isMember('tenant1', user1);

    // Assess
    expect(calls).toEqual([user1]);
    expect(verifier.lookups).toBe(1);
  });

  it('looks a user up again once the cached answer expired', async () => {
    // Prepare
    const { verifier, calls } = verifierWith({ [user1]: { tenantId: 'tenant1', enabled: true } }, 1);
    await verifier.isMember('tenant1', user1);

    // Act
    await new Promise((resolve) => setTimeout(resolve, 5));
    await verifier.isMember('tenant1', user1);

    // Assess
    expect(calls).toEqual([user1, user1]);
  });

  it('fails (does not answer "member") when the identity provider fails', async () => {
    // Prepare
    const verifier = createMembershipVerifier({
      lookup: async () => {
        throw Object.assign(new Error('rate exceeded'), { name: 'TooManyRequestsException' });
      },
    });

    // Act / Assess
    await expect(verifier.isMember('tenant1', user1)).rejects.toThrow('rate exceeded');
  });
});

describe('cognitoMembershipLookup', () => {
  const cognitoMock = mockClient(CognitoIdentityProviderClient);
  const lookup = cognitoMembershipLookup(
    new CognitoIdentityProviderClient({ region: 'us-east-1' }),
    'us-east-1_Pool',
  );

  beforeEach(() => cognitoMock.reset());

  it("reads the user's custom:tenantId and status by sub", async () => {
    // Prepare
    cognitoMock.on(AdminGetUserCommand).resolves({
      Username: 'tenant1-user',
      Enabled: true,
      UserAttributes: [
        { Name: 'sub', Value: user1 },
        { Name: 'custom:tenantId', Value: 'tenant1' },
      ],
    });

    // Act
    const membership = await lookup(user1);

    // Assess
    expect(membership).toEqual({ tenantId: 'tenant1', enabled: true });
    expect(cognitoMock.commandCalls(AdminGetUserCommand)[0]?.args[0].input).toEqual({
      UserPoolId: 'us-east-1_Pool',
      Username: user1,
    });
  });

  it('answers "no such user" for an unknown user and for a user whose sub differs (an alias matched)', async () => {
    // Prepare
    cognitoMock
      .on(AdminGetUserCommand, { Username: user1 })
      .rejects(new UserNotFoundException({ message: 'User does not exist.', $metadata: {} }))
      .on(AdminGetUserCommand, { Username: user2 })
      .resolves({
        Enabled: true,
        UserAttributes: [
          { Name: 'sub', Value: user1 },
          { Name: 'custom:tenantId', Value: 'tenant1' },
        ],
      });

    // Act / Assess
    expect(await lookup(user1)).toBeUndefined();
    expect(await lookup(user2)).toBeUndefined();
  });

  it('finds the sub wherever it is among the attributes, and reads a disabled user as not enabled', async () => {
    // Prepare
    cognitoMock.on(AdminGetUserCommand).resolves({
      Enabled: false,
      UserAttributes: [
        { Name: 'email', Value: 'tenant1-user@example.com' },
        { Name: 'custom:tenantId', Value: 'tenant1' },
        { Name: 'sub', Value: user1 },
      ],
    });

    // Act
    const membership = await lookup(user1);

    // Assess
    expect(membership).toEqual({ tenantId: 'tenant1', enabled: false });
  });

  it('answers "no such user" for a UserNotFoundException known only by its name (another copy of the SDK)', async () => {
    // Prepare
    const notFound = Object.assign(new Error('User does not exist.'), { name: 'UserNotFoundException' });
    cognitoMock.on(AdminGetUserCommand).rejects(notFound);

    // Act / Assess
    expect(await lookup(user1)).toBeUndefined();
  });

  it('passes any other failure of the identity provider on, never reading it as "no such user"', async () => {
    // Prepare
    cognitoMock.on(AdminGetUserCommand).rejects(new Error('Rate exceeded'));

    // Act / Assess
    await expect(lookup(user1)).rejects.toThrow('Rate exceeded');
  });
});
