import { dependencyCycle, resourcesOfType } from '@tenant-assistant/testing';
import { custom, dev, functionEnv, local, only, prod } from '../support/template';

// Registered by ../template.test.ts, which packages the stages once before these run.
describe('functions', () => {
  it('point the control-plane functions at this stack’s pool in AWS stages and at cognito-local in local', () => {
    // Act / Assess
    for (const id of ['OnboardTenantLambdaFunction', 'CreateTenantUserLambdaFunction']) {
      expect(functionEnv(dev, id).COGNITO_USER_POOL_ID).toEqual({ Ref: 'UserPool' });
      expect(functionEnv(prod, id).COGNITO_USER_POOL_ID).toEqual({ Ref: 'UserPool' });
      expect(functionEnv(local, id).COGNITO_USER_POOL_ID).toBe('us-east-1_LocalDev1');
    }
  });

  it('publishes TenantOnboarded on the control-plane bus this service owns', () => {
    // Act
    const [, bus] = only(dev, 'AWS::Events::EventBus');

    // Assess
    expect(bus.Properties?.Name).toBe('tenant-assistant-control-dev');
    expect(functionEnv(dev, 'OnboardTenantLambdaFunction').EVENT_BUS_NAME).toBe(
      'tenant-assistant-control-dev',
    );
    expect(functionEnv(local, 'OnboardTenantLambdaFunction').EVENT_BUS_NAME).toBe(
      'tenant-assistant-control-local',
    );
  });

  it('run on nodejs22.x', () => {
    // Act / Assess
    for (const [, fn] of resourcesOfType(dev, 'AWS::Lambda::Function')) {
      expect(fn.Properties?.Runtime).toBe('nodejs22.x');
    }
  });
});

describe('outputs', () => {
  const keys = [
    'UserPoolId',
    'UserPoolArn',
    'WebClientId',
    'AdminClientId',
    'IssuerUrl',
    'JwksUrl',
    'HostedUiDomain',
    'IdentityPoolId',
    'AuthenticatedRoleArn',
    'TenantFilesBucketName',
    'TenantFilesBucketArn',
    'ControlEventBusName',
    'ControlEventBusArn',
    'AdminApiUrl',
    'TenantsTableName',
    'TenantsTableArn',
    'OffboardingReportsDeadLetterQueueName',
  ];

  it.each(keys)('exports %s under the name tenant-assistant-auth-<stage>-<key>', (key) => {
    // Act / Assess
    expect(dev.Outputs?.[key]?.Export?.Name).toBe(`tenant-assistant-auth-dev-${key}`);
    expect(prod.Outputs?.[key]?.Export?.Name).toBe(`tenant-assistant-auth-prod-${key}`);
  });

  it('builds the issuer and JWKS URLs from the pool', () => {
    // Act / Assess
    expect(dev.Outputs?.IssuerUrl?.Value).toEqual({
      // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub syntax, not a template literal
      'Fn::Sub': 'https://cognito-idp.${AWS::Region}.amazonaws.com/${UserPool}',
    });
    expect(dev.Outputs?.JwksUrl?.Value).toEqual({
      // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub syntax, not a template literal
      'Fn::Sub': 'https://cognito-idp.${AWS::Region}.amazonaws.com/${UserPool}/.well-known/jwks.json',
    });
  });

  it('never outputs a client secret', () => {
    // Act / Assess
    expect(JSON.stringify(dev.Outputs)).not.toMatch(/ClientSecret/);
  });
});

describe('template', () => {
  it('has no dependency cycle in any stage', () => {
    // Act / Assess
    for (const template of [dev, prod, local, custom]) expect(dependencyCycle(template)).toBeUndefined();
  });
});
