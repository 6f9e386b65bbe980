import { CONFIG_ENV, configFromEnv, contentSecurityPolicy, localConfig } from '../scripts/lib/local-config';
import { ConfigError } from '../src/errors';

describe('localConfig', () => {
  it('fills in the local stack defaults around the seeded client id', () => {
    // Act / Assess
    expect(localConfig({ userPoolClientId: 'seededclient' })).toEqual({
      region: 'us-east-1',
      userPoolId: 'us-east-1_LocalDev1',
      userPoolClientId: 'seededclient',
      cognitoEndpoint: 'http://127.0.0.1:9229',
      authFlow: 'USER_PASSWORD_AUTH',
      apiUrl: 'http://127.0.0.1:3000',
      webSocketUrl: 'ws://127.0.0.1:3001',
      adminApiUrl: 'http://127.0.0.1:3010',
    });
  });

  it('refuses a configuration without a client id', () => {
    // Act / Assess
    expect(() => localConfig({})).toThrow('userPoolClientId');
  });
});

describe('configFromEnv', () => {
  it('reads the JSON in TA_WEB_CONFIG, and nothing when unset', () => {
    // Act
    const config = localConfig({ userPoolClientId: 'c1' });

    // Assess
    expect(configFromEnv({ [CONFIG_ENV]: JSON.stringify(config) })).toEqual(config);
    expect(configFromEnv({})).toBeUndefined();
  });

  it('says when TA_WEB_CONFIG is not JSON or not valid', () => {
    // Act / Assess
    expect(() => configFromEnv({ [CONFIG_ENV]: '{' })).toThrow('TA_WEB_CONFIG is not valid JSON');
    expect(() => configFromEnv({ [CONFIG_ENV]: '{}' })).toThrow(ConfigError);
  });
});

describe('contentSecurityPolicy', () => {
  it('lets the local app reach chat-api, its WebSocket, the admin API and cognito-local only', () => {
    // Act
    const csp = contentSecurityPolicy(localConfig({ userPoolClientId: 'c1' }), {
      upgradeInsecureRequests: false,
    });

    // Assess
    expect(csp).toContain(
      "connect-src 'self' http://127.0.0.1:3000 ws://127.0.0.1:3001 http://127.0.0.1:3010 http://127.0.0.1:9229;",
    );
    expect(csp).not.toContain('upgrade-insecure-requests');
  });
});
