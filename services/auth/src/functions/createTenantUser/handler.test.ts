import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { captureOutput, lambdaContext } from '@tenant-assistant/testing';
import {
  awsError,
  expectInvalidInput,
  passwordPolicy,
  rejectionOf,
  silentLogger,
  tenantRecord,
} from '../../../test/support';
import { cognitoMock, documentsMock, resetMocks } from '../../../test/support/mocks';
import type { PasswordPolicy } from '../../config';
import { generateTemporaryPassword } from '../../domain/password';
import {
  CognitoRequestError,
  UnknownTenantError,
  UserCreationFailedError,
  UsernameTakenError,
} from '../../errors';
import { handler, makeHandler } from './handler';

const documents = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
const tenantsTableName = 'tenant-assistant-auth-test-tenants';
const userPoolId = 'us-east-1_AbCdEf123';
const sub = '6f1c2e4a-0b7d-4c1e-9a53-2d8e7f6a5b4c';
const policy = passwordPolicy();
const ann = { tenantId: 'acme', username: 'ann', email: 'ann@acme.test' };

const run = makeHandler({
  cognito: new CognitoIdentityProviderClient({ region: 'us-east-1' }),
  documents,
  config: () => ({ userPoolId, passwordPolicy: policy, tenantsTableName }),
  generatePassword: () => 'Tmp-Password-1234',
  logger: silentLogger(),
});

beforeEach(() => {
  resetMocks();
  documentsMock.on(GetCommand).resolves({ Item: tenantRecord('acme') });
  cognitoMock.on(AdminCreateUserCommand).resolves({
    User: { Username: 'ann', Attributes: [{ Name: 'sub', Value: sub }], UserStatus: 'FORCE_CHANGE_PASSWORD' },
  });
  cognitoMock.on(AdminAddUserToGroupCommand).resolves({});
  cognitoMock.on(AdminDeleteUserCommand).resolves({});
});

describe('createTenantUser', () => {
  it("creates the user with its tenant, in its tenant's group, and returns the temporary password once", async () => {
    // Act
    const result = await run(ann);

    // Assess
    expect(result).toEqual({
      tenantId: 'acme',
      username: 'ann',
      userId: sub,
      email: 'ann@acme.test',
      groupName: 'tenant-acme',
      temporaryPassword: 'Tmp-Password-1234',
      temporaryPasswordValidityDays: 3,
      mustChangePassword: true,
    });
    expect(documentsMock.commandCalls(GetCommand)[0]?.args[0].input).toMatchObject({
      TableName: tenantsTableName,
      Key: { tenantId: 'acme' },
    });
    expect(cognitoMock.commandCalls(AdminCreateUserCommand).map((call) => call.args[0].input)).toEqual([
      {
        UserPoolId: userPoolId,
        Username: 'ann',
        TemporaryPassword: 'Tmp-Password-1234',
        MessageAction: 'SUPPRESS',
        UserAttributes: [
          { Name: 'email', Value: 'ann@acme.test' },
          { Name: 'email_verified', Value: 'true' },
          { Name: 'custom:tenantId', Value: 'acme' },
        ],
      },
    ]);
    expect(cognitoMock.commandCalls(AdminAddUserToGroupCommand).map((call) => call.args[0].input)).toEqual([
      { UserPoolId: userPoolId, Username: 'ann', GroupName: 'tenant-acme' },
    ]);
  });

  it('generates the temporary password from the pool policy', async () => {
    // Prepare
    const generatePassword = jest.fn((given: PasswordPolicy) => generateTemporaryPassword(given));
    const withGenerator = makeHandler({
      cognito: new CognitoIdentityProviderClient({ region: 'us-east-1' }),
      documents,
      config: () => ({ userPoolId, passwordPolicy: { ...policy, minimumLength: 40 }, tenantsTableName }),
      generatePassword,
      logger: silentLogger(),
    });

    // Act
    const result = await withGenerator(ann);

    // Assess
    expect(generatePassword).toHaveBeenCalledWith(expect.objectContaining({ minimumLength: 40 }));
    expect(result.temporaryPassword).toHaveLength(40);
    expect(cognitoMock.commandCalls(AdminCreateUserCommand)[0]?.args[0].input.TemporaryPassword).toBe(
      result.temporaryPassword,
    );
  });

  it('refuses an unknown tenant without creating a user', async () => {
    // Prepare
    documentsMock.on(GetCommand).resolves({});

    // Act
    const error = await rejectionOf(run({ ...ann, tenantId: 'globex' }));

    // Assess
    expect(error).toBeInstanceOf(UnknownTenantError);
    expect(error.message).toBe('Tenant globex is not onboarded: run onboardTenant first');
    expect(cognitoMock.commandCalls(AdminCreateUserCommand)).toHaveLength(0);
  });

  it('refuses a taken username and changes nothing', async () => {
    // Prepare
    cognitoMock
      .on(AdminCreateUserCommand)
      .rejects(awsError('UsernameExistsException', 'User account already exists'));

    // Act
    const error = await rejectionOf(run(ann));

    // Assess
    expect(error).toBeInstanceOf(UsernameTakenError);
    expect(error.message).toBe('Username ann is already taken');
    expect(cognitoMock.commandCalls(AdminAddUserToGroupCommand)).toHaveLength(0);
    expect(cognitoMock.commandCalls(AdminDeleteUserCommand)).toHaveLength(0);
  });

  it('deletes the user again when it cannot be added to its group', async () => {
    // Prepare
    cognitoMock.on(AdminAddUserToGroupCommand).rejects(awsError('TooManyRequestsException'));

    // Act
    const error = await rejectionOf(run(ann));

    // Assess
    expect(error).toBeInstanceOf(UserCreationFailedError);
    expect(error.message).toBe(
      'User ann was not created: adding it to tenant-acme failed (it was deleted again)',
    );
    expect(error.cause).toBeInstanceOf(CognitoRequestError);
    expect(cognitoMock.commandCalls(AdminDeleteUserCommand).map((call) => call.args[0].input)).toEqual([
      { UserPoolId: userPoolId, Username: 'ann' },
    ]);
  });

  it('says so when the user can be neither grouped nor deleted', async () => {
    // Prepare
    cognitoMock.on(AdminAddUserToGroupCommand).rejects(awsError('TooManyRequestsException'));
    cognitoMock.on(AdminDeleteUserCommand).rejects(awsError('TooManyRequestsException'));

    // Act
    const error = await rejectionOf(run(ann));

    // Assess
    expect(error.message).toContain(
      'User ann was created but could not be added to tenant-acme, and deleting it failed: delete it by hand',
    );
  });

  it('reports an unexpected AdminCreateUser failure as CognitoRequestError', async () => {
    // Prepare
    cognitoMock
      .on(AdminCreateUserCommand)
      .rejects(awsError('InvalidPasswordException', 'Password does not conform'));

    // Act
    const error = await rejectionOf(run(ann));

    // Assess
    expect(error.message).toContain(
      'Cognito AdminCreateUser failed (InvalidPasswordException: Password does not conform)',
    );
  });

  it.each([
    ['a wildcard tenant id', { ...ann, tenantId: '*' }, 'tenantId: must match'],
    [
      'a policy-variable tenant id',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal policy variable the input must refuse
      { ...ann, tenantId: '${aws:PrincipalTag/tenantId}' },
      'tenantId: must match',
    ],
    ['a missing tenant id', { username: 'ann', email: 'ann@acme.test' }, 'tenantId:'],
    ['an empty username', { ...ann, username: '' }, 'username: must be 1-128'],
    ['a username with spaces', { ...ann, username: 'ann smith' }, 'username: must be 1-128'],
    ['a username of 129 characters', { ...ann, username: 'a'.repeat(129) }, 'username: must be 1-128'],
    ['an invalid email', { ...ann, email: 'ann-at-acme' }, 'email: must be an email address'],
    ['an attempt to set attributes', { ...ann, 'custom:tenantId': 'globex' }, 'Unrecognized key'],
    ['no object at all', 'ann', '(input):'],
  ])('refuses %s before touching Cognito', async (_, input, issue) => {
    // Act
    const error = await rejectionOf(run(input));

    // Assess
    expectInvalidInput(error, 'createTenantUser', issue);
    expect(cognitoMock.calls()).toHaveLength(0);
  });
});

describe('createTenantUser deployed handler', () => {
  const env = { ...process.env };
  beforeEach(() => {
    Object.assign(process.env, {
      COGNITO_USER_POOL_ID: userPoolId,
      TENANTS_TABLE_NAME: tenantsTableName,
      PASSWORD_MINIMUM_LENGTH: '12',
      PASSWORD_REQUIRE_UPPERCASE: 'true',
      PASSWORD_REQUIRE_LOWERCASE: 'true',
      PASSWORD_REQUIRE_NUMBERS: 'true',
      PASSWORD_REQUIRE_SYMBOLS: 'true',
      TEMPORARY_PASSWORD_VALIDITY_DAYS: '3',
    });
  });
  afterEach(() => {
    process.env = { ...env };
  });

  it('returns a policy-compliant temporary password and never logs it', async () => {
    // Act
    const { result, output } = await captureOutput(() => handler(ann, lambdaContext()));

    // Assess
    expect(result.temporaryPassword).toMatch(/^(?=.*[A-Z])(?=.*[a-z])(?=.*\d)(?=.*[^A-Za-z0-9]).{16,}$/);
    expect(output).toContain('Tenant user created');
    expect(output).not.toContain(result.temporaryPassword);
  });

  it('logs a refusal without the password', async () => {
    // Prepare
    cognitoMock.on(AdminCreateUserCommand).rejects(awsError('UsernameExistsException'));

    // Act
    const { result, output } = await captureOutput(() =>
      handler(ann, lambdaContext()).catch((error: unknown) => error),
    );

    // Assess
    expect(result).toBeInstanceOf(UsernameTakenError);
    expect(output).toContain('createTenantUser refused');
    const sent = cognitoMock.commandCalls(AdminCreateUserCommand)[0]?.args[0].input.TemporaryPassword ?? '';
    expect(sent).not.toBe('');
    expect(output).not.toContain(sent);
  });
});
