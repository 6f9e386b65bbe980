import {
  type CfnResource,
  resourcesOfType,
  roleStatements,
  type PolicyStatement as Statement,
} from '@tenant-assistant/testing';
import { client, custom, dev, local, only, prod, props } from '../support/template';

// Registered by ../template.test.ts, which packages the stages once before these run.
describe('app clients', () => {
  it('lets no client write the tenant attribute', () => {
    // Act / Assess
    for (const template of [dev, prod, local, custom]) {
      const clients = resourcesOfType(template, 'AWS::Cognito::UserPoolClient');
      expect(clients.length).toBeGreaterThan(0);
      for (const [, resource] of clients) {
        // Without WriteAttributes a client may write every mutable attribute: it must be explicit.
        expect(Array.isArray(resource.Properties?.WriteAttributes)).toBe(true);
        expect(resource.Properties?.WriteAttributes).not.toContain('custom:tenantId');
      }
    }
  });

  it('makes the web client public with SRP and refresh flows, code grant and the openid scopes', () => {
    // Act
    const web = client(dev, 'web');

    // Assess
    expect(web.GenerateSecret).toBe(false);
    expect(web.ExplicitAuthFlows).toEqual(['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']);
    expect(web.AllowedOAuthFlowsUserPoolClient).toBe(true);
    expect(web.AllowedOAuthFlows).toEqual(['code']);
    expect(web.AllowedOAuthScopes).toEqual(['openid', 'email', 'profile']);
    expect(web.PreventUserExistenceErrors).toBe('ENABLED');
    expect(web.EnableTokenRevocation).toBe(true);
    expect(web.ReadAttributes).toContain('custom:tenantId');
    expect(web).toEqual(
      expect.objectContaining({ AccessTokenValidity: 60, IdTokenValidity: 60, RefreshTokenValidity: 30 }),
    );
  });

  it('enables the username/password flow only in the local stage', () => {
    // Act / Assess
    expect(client(local, 'web').ExplicitAuthFlows).toContain('ALLOW_USER_PASSWORD_AUTH');
    expect(client(dev, 'web').ExplicitAuthFlows).not.toContain('ALLOW_USER_PASSWORD_AUTH');
    expect(client(prod, 'web').ExplicitAuthFlows).not.toContain('ALLOW_USER_PASSWORD_AUTH');
  });

  it('takes callback and logout URLs from stage parameters', () => {
    // Act / Assess
    expect(client(custom, 'web').CallbackURLs).toEqual({
      'Fn::Split': [',', 'https://app.example.com/callback,http://localhost:5173/'],
    });
    expect(client(custom, 'web').LogoutURLs).toEqual({ 'Fn::Split': [',', 'https://app.example.com/'] });
  });

  it('makes the admin client confidential with the admin user-password flow only', () => {
    // Act
    const admin = client(dev, 'admin');

    // Assess
    expect(admin.GenerateSecret).toBe(true);
    expect(admin.ExplicitAuthFlows).toEqual(['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']);
    expect(admin.AllowedOAuthFlowsUserPoolClient).toBe(false);
    expect(admin.PreventUserExistenceErrors).toBe('ENABLED');
  });

  it('gives the hosted UI a stage-specific domain prefix, overridable by a parameter', () => {
    // Act
    const [, domain] = only(dev, 'AWS::Cognito::UserPoolDomain');

    // Assess
    // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub syntax, not a template literal
    expect(domain.Properties?.Domain).toEqual({ 'Fn::Sub': 'tenant-assistant-dev-${AWS::AccountId}' });
    expect(only(prod, 'AWS::Cognito::UserPoolDomain')[1].Properties?.Domain).toEqual({
      // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub syntax, not a template literal
      'Fn::Sub': 'tenant-assistant-prod-${AWS::AccountId}',
    });
    expect(only(custom, 'AWS::Cognito::UserPoolDomain')[1].Properties?.Domain).toBe('acme-assistant');
  });
});

describe('identity pool', () => {
  it('refuses unauthenticated identities and checks tokens server-side for the web client only', () => {
    // Act
    const [, identityPool] = only(dev, 'AWS::Cognito::IdentityPool');

    // Assess
    expect(identityPool.Properties?.AllowUnauthenticatedIdentities).toBe(false);
    expect(identityPool.Properties?.CognitoIdentityProviders).toEqual([
      {
        ClientId: { Ref: 'WebClient' },
        ProviderName: { 'Fn::GetAtt': ['UserPool', 'ProviderName'] },
        ServerSideTokenCheck: true,
      },
    ]);
  });

  it('attaches an authenticated role and no unauthenticated role', () => {
    // Act
    const [, attachment] = only(dev, 'AWS::Cognito::IdentityPoolRoleAttachment');

    // Assess
    expect(attachment.Properties?.Roles).toEqual({
      authenticated: { 'Fn::GetAtt': ['AuthenticatedRole', 'Arn'] },
    });
    expect(attachment.Properties?.RoleMappings).toBeUndefined();
  });

  it('maps custom:tenantId to the principal tag tenantId', () => {
    // Act
    const [, tags] = only(dev, 'AWS::Cognito::IdentityPoolPrincipalTag');

    // Assess
    expect(tags.Properties).toEqual({
      IdentityPoolId: { Ref: 'IdentityPool' },
      IdentityProviderName: { 'Fn::GetAtt': ['UserPool', 'ProviderName'] },
      UseDefaults: false,
      PrincipalTags: { tenantId: 'custom:tenantId' },
    });
  });

  it('lets only authenticated identities of this identity pool assume the authenticated role', () => {
    // Act
    const trust = props(dev, 'AuthenticatedRole').AssumeRolePolicyDocument as { Statement: Statement[] };

    // Assess
    expect(trust.Statement).toEqual([
      {
        Effect: 'Allow',
        Principal: { Federated: 'cognito-identity.amazonaws.com' },
        Action: ['sts:AssumeRoleWithWebIdentity', 'sts:TagSession'],
        Condition: {
          StringEquals: { 'cognito-identity.amazonaws.com:aud': { Ref: 'IdentityPool' } },
          'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': 'authenticated' },
        },
      },
    ]);
  });

  it("grants the authenticated role only GetObject/PutObject under its tenant's prefix of the tenant-files bucket", () => {
    // Prepare
    const statements = roleStatements(dev.Resources.AuthenticatedRole as CfnResource);

    // Act
    // In Fn::Sub, `${!x}` renders as the literal `${x}`: the IAM policy variable ${aws:PrincipalTag/tenantId}.

    // Assess
    expect(statements).toEqual([
      {
        Sid: 'OwnTenantFiles',
        Effect: 'Allow',
        Action: ['s3:GetObject', 's3:PutObject'],
        // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub syntax, not a template literal
        Resource: { 'Fn::Sub': '${TenantFilesBucket.Arn}/${!aws:PrincipalTag/tenantId}/*' },
      },
    ]);
    expect(props(dev, 'AuthenticatedRole').ManagedPolicyArns).toBeUndefined();
  });
});

describe('tenant-files bucket', () => {
  it('is private, encrypted, owner-enforced and reachable over TLS only', () => {
    // Act
    const bucket = props(dev, 'TenantFilesBucket');
    const policy = props(dev, 'TenantFilesBucketPolicy').PolicyDocument as { Statement: Statement[] };

    // Assess
    expect(bucket.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(bucket.BucketEncryption).toEqual({
      ServerSideEncryptionConfiguration: [
        expect.objectContaining({ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }),
      ],
    });
    expect(bucket.OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
    expect(policy.Statement).toEqual([
      expect.objectContaining({
        Effect: 'Deny',
        Principal: '*',
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      }),
    ]);
    expect(policy.Statement.filter((statement) => statement.Effect === 'Allow')).toEqual([]);
  });

  it('is retained in prod', () => {
    // Act / Assess
    expect(prod.Resources.TenantFilesBucket?.DeletionPolicy).toBe('Retain');
  });
});
