import { join } from 'node:path';
import { type CfnTemplate, packageService, resourcesOfType } from '@tenant-assistant/testing';
import { contentSecurityPolicy } from '../scripts/lib/local-config';
import { parseConfig } from '../src/config';

const serviceDir = join(__dirname, '..');
const PARAMS = {
  userPoolId: 'eu-west-1_AbC123',
  userPoolClientId: 'webclient123',
  apiUrl: 'https://api123.execute-api.eu-west-1.amazonaws.com',
  webSocketUrl: 'wss://ws456.execute-api.eu-west-1.amazonaws.com/prod',
  adminApiUrl: 'https://admin789.execute-api.eu-west-1.amazonaws.com',
};

/** Evaluates the intrinsic functions these tests meet; imports come from `imports`. */
const evaluate = (value: unknown, imports: Record<string, string> = {}): unknown => {
  const inner = (item: unknown) => evaluate(item, imports);
  if (Array.isArray(value)) return value.map(inner);
  if (value === null || typeof value !== 'object') return value;
  const [key, argument] = Object.entries(value)[0] ?? [];
  switch (key) {
    case 'Fn::Join': {
      const [separator, parts] = argument as [string, unknown[]];
      return (inner(parts) as string[]).join(separator);
    }
    case 'Fn::Split': {
      const [separator, source] = argument as [string, unknown];
      return (inner(source) as string).split(separator);
    }
    case 'Fn::Select': {
      const [index, list] = argument as [number, unknown];
      return (inner(list) as unknown[])[index];
    }
    case 'Fn::ImportValue': {
      const name = String(inner(argument));
      if (!(name in imports)) throw new Error(`unexpected import ${name}`);
      return imports[name];
    }
    default:
      return value;
  }
};

// biome-ignore lint/suspicious/noExplicitAny: assertions walk the CloudFormation JSON freely
type Json = any;

const only = (template: CfnTemplate, type: string) => {
  const resources = resourcesOfType(template, type);
  expect(resources).toHaveLength(1);
  return (resources[0] as (typeof resources)[number])[1].Properties as Record<string, Json>;
};

const resource = (template: CfnTemplate, logicalId: string) =>
  template.Resources[logicalId]?.Properties as Record<string, Json>;

describe('serverless.yml', () => {
  let dev: CfnTemplate;
  let prod: CfnTemplate;

  beforeAll(async () => {
    [dev, prod] = await Promise.all([
      packageService(serviceDir),
      packageService(serviceDir, { stage: 'prod', params: PARAMS }),
    ]);
  }, 120_000);

  describe('bucket', () => {
    it('blocks every kind of public access, encrypts at rest and enforces bucket-owner objects', () => {
      // Act
      const bucket = resource(prod, 'WebBucket');

      // Assess
      expect(bucket.PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
      expect(
        bucket.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault,
      ).toEqual({
        SSEAlgorithm: 'AES256',
      });
      expect(bucket.OwnershipControls.Rules).toEqual([{ ObjectOwnership: 'BucketOwnerEnforced' }]);
      expect(bucket.WebsiteConfiguration).toBeUndefined();
    });

    it('lets only this distribution read objects, and refuses plain HTTP', () => {
      // Prepare
      const policy = resource(prod, 'WebBucketPolicy');
      const [allow, deny] = policy.PolicyDocument.Statement;

      // Assess
      expect(allow).toEqual({
        Sid: 'CloudFrontReadsThroughOriginAccessControl',
        Effect: 'Allow',
        Principal: { Service: 'cloudfront.amazonaws.com' },
        Action: 's3:GetObject',
        // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub syntax
        Resource: { 'Fn::Sub': '${WebBucket.Arn}/*' },
        Condition: {
          StringEquals: {
            'AWS:SourceArn': {
              'Fn::Sub':
                // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub syntax
                'arn:${AWS::Partition}:cloudfront::${AWS::AccountId}:distribution/${WebDistribution}',
            },
          },
        },
      });
      expect(deny).toMatchObject({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } });
      const statements = JSON.stringify(policy.PolicyDocument.Statement);
      expect(statements).not.toMatch(/"Principal":"\*","Action":"s3:GetObject"/);
      expect(statements).not.toContain('s3:ListBucket');
    });
  });

  describe('distribution', () => {
    it('reads the bucket through origin access control (SigV4, always), not a legacy identity', () => {
      // Prepare
      const oac = only(prod, 'AWS::CloudFront::OriginAccessControl');
      const { DistributionConfig: config } = only(prod, 'AWS::CloudFront::Distribution');

      // Assess
      expect(oac.OriginAccessControlConfig).toMatchObject({
        OriginAccessControlOriginType: 's3',
        SigningBehavior: 'always',
        SigningProtocol: 'sigv4',
      });
      expect(config.Origins).toEqual([
        {
          Id: 'web-bucket',
          DomainName: { 'Fn::GetAtt': ['WebBucket', 'RegionalDomainName'] },
          OriginAccessControlId: { 'Fn::GetAtt': ['WebOriginAccessControl', 'Id'] },
          S3OriginConfig: { OriginAccessIdentity: '' },
        },
      ]);
    });

    it('redirects to HTTPS and applies the security headers on every behaviour', () => {
      // Act
      const { DistributionConfig: config } = only(prod, 'AWS::CloudFront::Distribution');

      // Assess
      for (const behaviour of [config.DefaultCacheBehavior, ...config.CacheBehaviors]) {
        expect(behaviour.ViewerProtocolPolicy).toBe('redirect-to-https');
        expect(behaviour.ResponseHeadersPolicyId).toEqual({ Ref: 'WebResponseHeadersPolicy' });
        expect(behaviour.AllowedMethods).toEqual(['GET', 'HEAD']);
      }
    });

    it('never caches config.json', () => {
      // Act
      const { DistributionConfig: config } = only(prod, 'AWS::CloudFront::Distribution');

      // Assess
      expect(config.CacheBehaviors).toEqual([
        expect.objectContaining({
          PathPattern: '/config.json',
          CachePolicyId: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad',
        }),
      ]);
    });

    it('serves index.html for client-side routes and files as they are', async () => {
      // Prepare
      const fn = only(prod, 'AWS::CloudFront::Function');
      const { DistributionConfig: config } = only(prod, 'AWS::CloudFront::Distribution');
      const handler = new Function(`${fn.FunctionCode}; return handler;`)() as (
        event: unknown,
      ) => Promise<{ uri: string }>;
      const route = async (uri: string) => (await handler({ request: { uri } })).uri;

      // Assess
      expect(fn.FunctionConfig.Runtime).toBe('cloudfront-js-2.0');
      expect(config.DefaultCacheBehavior.FunctionAssociations).toEqual([
        {
          EventType: 'viewer-request',
          FunctionARN: { 'Fn::GetAtt': ['SpaFallbackFunction', 'FunctionMetadata.FunctionARN'] },
        },
      ]);
      expect(await route('/')).toBe('/index.html');
      expect(await route('/conversations/abc')).toBe('/index.html');
      expect(await route('/assets/index-abc.js')).toBe('/assets/index-abc.js');
      expect(await route('/config.json')).toBe('/config.json');
    });

    it('uses every edge location in prod and the cheapest price class elsewhere', () => {
      // Act / Assess
      expect(only(prod, 'AWS::CloudFront::Distribution').DistributionConfig.PriceClass).toBe(
        'PriceClass_All',
      );
      expect(only(dev, 'AWS::CloudFront::Distribution').DistributionConfig.PriceClass).toBe('PriceClass_100');
    });
  });

  describe('security headers', () => {
    /** The prod stage's response headers policy: its security headers. */
    const securityHeaders = () =>
      only(prod, 'AWS::CloudFront::ResponseHeadersPolicy').ResponseHeadersPolicyConfig.SecurityHeadersConfig;

    it('sets HSTS, nosniff, DENY framing and a strict referrer policy, overriding the origin', () => {
      // Act
      const headers = securityHeaders();

      // Assess
      expect(headers.StrictTransportSecurity).toEqual({
        AccessControlMaxAgeSec: 63072000,
        IncludeSubdomains: true,
        Preload: true,
        Override: true,
      });
      expect(headers.ContentTypeOptions).toEqual({ Override: true });
      expect(headers.FrameOptions).toEqual({ FrameOption: 'DENY', Override: true });
      expect(headers.ReferrerPolicy).toEqual({
        ReferrerPolicy: 'strict-origin-when-cross-origin',
        Override: true,
      });
    });

    it('allows scripts and styles only from the site, and connections only to chat-api, the admin API and Cognito', () => {
      // Prepare
      const headers = securityHeaders();

      // Act
      const csp = evaluate(headers.ContentSecurityPolicy.ContentSecurityPolicy) as string;

      // Assess
      expect(headers.ContentSecurityPolicy.Override).toBe(true);
      expect(csp.split('; ')).toEqual([
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "manifest-src 'self'",
        "connect-src 'self' https://api123.execute-api.eu-west-1.amazonaws.com wss://ws456.execute-api.eu-west-1.amazonaws.com https://admin789.execute-api.eu-west-1.amazonaws.com https://cognito-idp.eu-west-1.amazonaws.com",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "object-src 'none'",
        'upgrade-insecure-requests',
      ]);
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).not.toContain('unsafe-eval');
    });

    it('matches the policy vite preview serves locally (scripts/lib/local-config.ts)', () => {
      // Prepare
      const headers = securityHeaders();
      const deployed = evaluate(headers.ContentSecurityPolicy.ContentSecurityPolicy) as string;

      // Act
      const config = parseConfig({ ...PARAMS, region: 'eu-west-1', authFlow: 'USER_SRP_AUTH' });

      // Assess
      expect(contentSecurityPolicy(config, { upgradeInsecureRequests: true })).toBe(deployed);
    });

    it("builds connect-src from the chat-api and auth stacks' exports by default", () => {
      // Prepare
      const { SecurityHeadersConfig: headers } = only(
        dev,
        'AWS::CloudFront::ResponseHeadersPolicy',
      ).ResponseHeadersPolicyConfig;

      // Act
      const csp = JSON.stringify(headers.ContentSecurityPolicy.ContentSecurityPolicy);

      // Assess
      expect(csp).toContain('{"Fn::ImportValue":"tenant-assistant-chat-api-dev-HttpApiUrl"}');
      expect(csp).toContain('{"Fn::ImportValue":"tenant-assistant-chat-api-dev-ServiceEndpointWebsocket"}');
      expect(csp).toContain('{"Fn::ImportValue":"tenant-assistant-auth-dev-AdminApiUrl"}');
    });
  });

  describe('outputs', () => {
    it('exports domain, URL, distribution id and bucket name as <service>-<stage>-<key>', () => {
      // Act / Assess
      for (const key of ['DistributionDomainName', 'WebUrl', 'DistributionId', 'BucketName']) {
        expect(prod.Outputs?.[key]?.Export?.Name).toBe(`tenant-assistant-web-prod-${key}`);
      }
    });

    it('resolves config.json from the stage parameters into a valid app configuration', () => {
      // Act
      const config = parseConfig(JSON.parse(evaluate(prod.Outputs?.AppConfig?.Value) as string));

      // Assess
      expect(config).toEqual({ ...PARAMS, region: 'eu-west-1', authFlow: 'USER_SRP_AUTH' });
    });

    it('reads the auth and chat-api exports of the same stage by default', () => {
      // Prepare
      const imports = {
        'tenant-assistant-auth-dev-UserPoolId': 'us-east-1_Imported1',
        'tenant-assistant-auth-dev-WebClientId': 'importedclient',
        'tenant-assistant-chat-api-dev-HttpApiUrl': 'https://imported.example.com',
        'tenant-assistant-chat-api-dev-ServiceEndpointWebsocket': 'wss://imported.example.com/dev',
        'tenant-assistant-auth-dev-AdminApiUrl': 'https://admin.imported.example.com',
      };

      // Act
      const config = parseConfig(JSON.parse(evaluate(dev.Outputs?.AppConfig?.Value, imports) as string));

      // Assess
      expect(config).toEqual({
        region: 'us-east-1',
        userPoolId: 'us-east-1_Imported1',
        userPoolClientId: 'importedclient',
        authFlow: 'USER_SRP_AUTH',
        apiUrl: 'https://imported.example.com',
        webSocketUrl: 'wss://imported.example.com/dev',
        adminApiUrl: 'https://admin.imported.example.com',
      });
    });
  });
});
