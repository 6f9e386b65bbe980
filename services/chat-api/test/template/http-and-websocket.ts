import { resourcesOfType } from '@tenant-assistant/testing';
import { dev, prod, props } from '../support/template';

// Registered by ../template.test.ts, which packages the stages once before these run.
describe('chat-api template', () => {
  describe('HTTP API', () => {
    it('has a Cognito JWT authorizer on the issuer and web client exported by the auth service', () => {
      // Act
      const [[, authorizer] = []] = resourcesOfType(dev, 'AWS::ApiGatewayV2::Authorizer');

      // Assess
      expect(authorizer?.Properties).toMatchObject({
        AuthorizerType: 'JWT',
        IdentitySource: ['$request.header.Authorization'],
        JwtConfiguration: {
          Issuer: { 'Fn::ImportValue': 'tenant-assistant-auth-dev-IssuerUrl' },
          Audience: [{ 'Fn::ImportValue': 'tenant-assistant-auth-dev-WebClientId' }],
        },
      });
    });

    it('serves exactly the seven routes, each behind the JWT authorizer', () => {
      // Act
      const routes = resourcesOfType(dev, 'AWS::ApiGatewayV2::Route')
        .map(([, route]) => route.Properties ?? {})
        .filter((route) => (route.ApiId as { Ref?: string }).Ref === 'HttpApi');

      // Assess
      expect(routes.map((route) => route.RouteKey).sort()).toEqual([
        'GET /answers',
        'GET /answers/{answerId}',
        'GET /conversations',
        'GET /usage',
        'GET /usage/tenants',
        'GET /usage/tenants/{tenantId}',
        'POST /prompts',
      ]);
      for (const route of routes) {
        expect(route).toMatchObject({
          AuthorizationType: 'JWT',
          AuthorizerId: { Ref: 'HttpApiAuthorizerCognito' },
        });
      }
    });

    it('allows CORS only from the web origin of the stage', () => {
      // Act
      const devCors = props(dev, 'HttpApi').CorsConfiguration;
      const prodCors = props(prod, 'HttpApi').CorsConfiguration;

      // Assess
      expect(devCors).toMatchObject({
        AllowOrigins: ['https://dev.chat.example.com'],
        AllowHeaders: ['authorization', 'content-type'],
      });
      expect(prodCors).toMatchObject({ AllowOrigins: ['https://chat.example.com'] });
    });

    it('throttles both APIs per stage', () => {
      // Act
      const http = props(prod, 'HttpApiStage').DefaultRouteSettings;
      const webSocket = props(prod, 'WebsocketsDeploymentStage').DefaultRouteSettings;

      // Assess
      expect(http).toEqual({ ThrottlingRateLimit: 200, ThrottlingBurstLimit: 400 });
      expect(webSocket).toEqual({ ThrottlingRateLimit: 200, ThrottlingBurstLimit: 400 });
      expect(props(dev, 'HttpApiStage').DefaultRouteSettings).toEqual({
        ThrottlingRateLimit: 50,
        ThrottlingBurstLimit: 100,
      });
    });

    it('gives the functions the pool and client the authorizer uses, to verify tokens in code', () => {
      // Act
      const environment = (
        props(dev, 'SubmitPromptLambdaFunction').Environment as { Variables: Record<string, unknown> }
      ).Variables;

      // Assess
      expect(environment).toMatchObject({
        COGNITO_USER_POOL_ID: { 'Fn::ImportValue': 'tenant-assistant-auth-dev-UserPoolId' },
        COGNITO_CLIENT_IDS: { 'Fn::ImportValue': 'tenant-assistant-auth-dev-WebClientId' },
        COGNITO_ISSUER: { 'Fn::ImportValue': 'tenant-assistant-auth-dev-IssuerUrl' },
        EVENT_BUS_NAME: 'tenant-assistant-dev',
        TENANT_REGISTRY_TABLE_NAME: {
          'Fn::ImportValue': 'tenant-assistant-auth-dev-TenantsTableName',
        },
        USAGE_TABLE_NAME: 'tenant-assistant-chat-api-dev-usage',
      });
    });
  });

  describe('WebSocket API', () => {
    it('routes $connect and $disconnect to their functions', () => {
      // Act
      const routes = resourcesOfType(dev, 'AWS::ApiGatewayV2::Route')
        .map(([, route]) => route.Properties ?? {})
        .filter((route) => (route.ApiId as { Ref?: string }).Ref === 'WebsocketsApi')
        .map((route) => route.RouteKey)
        .sort();

      // Assess
      expect(routes).toEqual(['$connect', '$disconnect']);
    });

    it('points onAnswerEvent at the @connections API of its own stage', () => {
      // Act
      const environment = (
        props(dev, 'OnAnswerEventLambdaFunction').Environment as { Variables: Record<string, unknown> }
      ).Variables;

      // Assess
      expect(JSON.stringify(environment.WEBSOCKET_API_ENDPOINT)).toContain('{"Ref":"WebsocketsApi"}');
      expect(JSON.stringify(environment.WEBSOCKET_API_ENDPOINT)).toContain('/dev');
    });
  });
});
