import { type CfnResource, resourcesOfType } from '@tenant-assistant/testing';
import { custom, dev, functionEnv, local, pool, prod, smsRoleArn } from '../support/template';

// Registered by ../template.test.ts, which packages the stages once before these run.
describe('user pool', () => {
  it('keeps the tenant in an immutable custom attribute of 1 to 64 characters', () => {
    // Prepare
    const schema = pool(dev).Schema as Record<string, unknown>[];

    // Act
    const tenant = schema.find((attribute) => attribute.Name === 'tenantId');

    // Assess
    expect(tenant).toEqual({
      Name: 'tenantId',
      AttributeDataType: 'String',
      Mutable: false,
      StringAttributeConstraints: { MinLength: '1', MaxLength: '64' },
    });
  });

  it('signs in by username with a required, auto-verified email and verification messages', () => {
    // Act
    const properties = pool(dev);

    // Assess
    expect(properties.UsernameAttributes).toBeUndefined();
    expect(properties.AliasAttributes).toBeUndefined();
    expect(properties.UsernameConfiguration).toEqual({ CaseSensitive: false });
    expect(properties.Schema).toContainEqual(expect.objectContaining({ Name: 'email', Required: true }));
    expect(properties.AutoVerifiedAttributes).toEqual(['email']);
    expect(properties.VerificationMessageTemplate).toEqual(
      expect.objectContaining({
        EmailSubject: expect.any(String),
        EmailMessage: expect.stringContaining('{####}'),
      }),
    );
  });

  it('allows only administrators to create users (no self sign-up)', () => {
    // Act / Assess
    for (const template of [dev, prod, local]) {
      expect(pool(template).AdminCreateUserConfig).toEqual(
        expect.objectContaining({ AllowAdminCreateUserOnly: true }),
      );
    }
  });

  it('recovers accounts by verified email only', () => {
    // Act / Assess
    expect(pool(dev).AccountRecoverySetting).toEqual({
      RecoveryMechanisms: [{ Name: 'verified_email', Priority: 1 }],
    });
  });

  it('requires 12 characters with upper, lower, digit and symbol and 3-day temporary passwords by default', () => {
    // Act / Assess
    for (const template of [dev, prod, local]) {
      expect(pool(template).Policies).toEqual({
        PasswordPolicy: {
          MinimumLength: '12',
          RequireUppercase: 'true',
          RequireLowercase: 'true',
          RequireNumbers: 'true',
          RequireSymbols: 'true',
          TemporaryPasswordValidityDays: '3',
        },
      });
    }
  });

  it('takes the password policy from stage parameters', () => {
    // Act / Assess
    expect(pool(custom).Policies).toEqual({
      PasswordPolicy: expect.objectContaining({
        MinimumLength: '16',
        RequireSymbols: 'false',
        TemporaryPasswordValidityDays: '1',
      }),
    });
  });

  it('gives createTenantUser the same password policy as the pool', () => {
    // Act / Assess
    for (const template of [dev, custom]) {
      const policy = (pool(template).Policies as { PasswordPolicy: Record<string, string> }).PasswordPolicy;

      const env = functionEnv(template, 'CreateTenantUserLambdaFunction');

      expect(env).toEqual(
        expect.objectContaining({
          PASSWORD_MINIMUM_LENGTH: policy.MinimumLength,
          PASSWORD_REQUIRE_UPPERCASE: policy.RequireUppercase,
          PASSWORD_REQUIRE_LOWERCASE: policy.RequireLowercase,
          PASSWORD_REQUIRE_NUMBERS: policy.RequireNumbers,
          PASSWORD_REQUIRE_SYMBOLS: policy.RequireSymbols,
          TEMPORARY_PASSWORD_VALIDITY_DAYS: policy.TemporaryPasswordValidityDays,
        }),
      );
    }
  });

  it('requires MFA in prod and makes it optional in dev and local, with TOTP enabled everywhere', () => {
    // Act / Assess
    expect(pool(prod).MfaConfiguration).toBe('ON');
    expect(pool(dev).MfaConfiguration).toBe('OPTIONAL');
    expect(pool(local).MfaConfiguration).toBe('OPTIONAL');
    for (const template of [dev, prod, local]) {
      expect(pool(template).EnabledMfas).toEqual(['SOFTWARE_TOKEN_MFA']);
    }
  });

  it('offers no SMS unless the stage supplies an SNS role', () => {
    // Act
    const properties = pool(dev);

    // Assess
    expect(properties.SmsConfiguration).toBeUndefined();
    expect(properties.SmsAuthenticationMessage).toBeUndefined();
    expect(properties.EnabledMfas).not.toContain('SMS_MFA');
  });

  it('enables SMS MFA, its configuration and its messages when the stage supplies an SNS role', () => {
    // Act
    const properties = pool(custom);

    // Assess
    expect(properties.EnabledMfas).toEqual(['SOFTWARE_TOKEN_MFA', 'SMS_MFA']);
    expect(properties.SmsConfiguration).toEqual(
      expect.objectContaining({ SnsCallerArn: smsRoleArn, ExternalId: 'tenant-assistant-auth-dev' }),
    );
    expect(properties.SmsAuthenticationMessage).toContain('{####}');
    expect(properties.SmsVerificationMessage).toContain('{####}');
  });

  it('is protected from deletion and retained in prod only', () => {
    // Act / Assess
    expect(pool(prod).DeletionProtection).toBe('ACTIVE');
    expect(prod.Resources.UserPool?.DeletionPolicy).toBe('Retain');
    expect(pool(dev).DeletionProtection).toBe('INACTIVE');
    expect(dev.Resources.UserPool?.DeletionPolicy).toBe('Delete');
  });

  it('uses the feature plan that allows access-token customisation', () => {
    // Act / Assess
    expect(['ESSENTIALS', 'PLUS']).toContain(pool(dev).UserPoolTier);
  });

  it('calls preTokenGeneration with the V2 event, and lets Cognito invoke it from this pool only', () => {
    // Act
    const cognitoPermissions = resourcesOfType(dev, 'AWS::Lambda::Permission').filter(
      ([, resource]) => resource.Properties?.Principal === 'cognito-idp.amazonaws.com',
    );
    expect(cognitoPermissions).toHaveLength(1);
    const [, permission] = cognitoPermissions[0] as [string, CfnResource];

    // Assess
    expect(pool(dev).LambdaConfig).toEqual({
      PreTokenGenerationConfig: {
        LambdaArn: { 'Fn::GetAtt': ['PreTokenGenerationLambdaFunction', 'Arn'] },
        LambdaVersion: 'V2_0',
      },
    });
    expect(permission.Properties).toEqual(
      expect.objectContaining({
        Action: 'lambda:InvokeFunction',
        FunctionName: { 'Fn::GetAtt': ['PreTokenGenerationLambdaFunction', 'Arn'] },
        Principal: 'cognito-idp.amazonaws.com',
        SourceArn: { 'Fn::GetAtt': ['UserPool', 'Arn'] },
      }),
    );
  });
});
