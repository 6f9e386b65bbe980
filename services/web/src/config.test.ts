import { loadConfig, parseConfig } from './config';
import { ConfigError } from './errors';

const local = {
  region: 'us-east-1',
  userPoolId: 'us-east-1_LocalDev1',
  userPoolClientId: 'localwebclient',
  cognitoEndpoint: 'http://127.0.0.1:9229',
  authFlow: 'USER_PASSWORD_AUTH',
  apiUrl: 'http://127.0.0.1:3000/',
  webSocketUrl: 'ws://127.0.0.1:3001',
  adminApiUrl: 'http://127.0.0.1:3010/',
};

const respond = (status: number, body: string) =>
  jest.fn(async () => new Response(body, { status, headers: { 'content-type': 'application/json' } }));

describe('loadConfig', () => {
  it('fetches /config.json without the browser cache and returns it, trailing slashes trimmed', async () => {
    // Prepare
    const fetchFn = respond(200, JSON.stringify(local));

    // Act
    const config = await loadConfig(fetchFn);

    // Assess
    expect(fetchFn).toHaveBeenCalledWith('/config.json', expect.objectContaining({ cache: 'no-store' }));
    expect(config).toEqual({
      ...local,
      apiUrl: 'http://127.0.0.1:3000',
      adminApiUrl: 'http://127.0.0.1:3010',
    });
  });

  it('says the file is missing on HTTP 404', async () => {
    // Act / Assess
    await expect(loadConfig(respond(404, 'Not found'))).rejects.toThrow(
      'Could not load /config.json: HTTP 404',
    );
  });

  it('says the server did not answer when fetch fails', async () => {
    // Prepare
    const fetchFn = jest.fn(async () => {
      throw new TypeError('Failed to fetch');
    });

    // Act / Assess
    await expect(loadConfig(fetchFn)).rejects.toThrow(
      'Could not load /config.json: the server did not answer',
    );
  });

  it('says the file is not JSON (e.g. the SPA fallback served index.html)', async () => {
    // Act / Assess
    await expect(loadConfig(respond(200, '<!doctype html>'))).rejects.toThrow(
      '/config.json is not valid JSON',
    );
  });

  it('names every invalid field', async () => {
    // Prepare
    const fetchFn = respond(
      200,
      JSON.stringify({ ...local, apiUrl: 'ftp://x', authFlow: 'CUSTOM_AUTH', region: undefined }),
    );

    // Act
    const error = await loadConfig(fetchFn).catch((caught: unknown) => caught);

    // Assess
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues).toEqual([
      'region: Invalid input: expected string, received undefined',
      expect.stringMatching(/^authFlow: /),
      'apiUrl: must be a http:// or https:// URL',
    ]);
  });
});

describe('parseConfig', () => {
  it('accepts a deployed configuration without a Cognito endpoint', () => {
    // Prepare
    const { cognitoEndpoint: _, ...deployed } = local;

    // Act
    const config = parseConfig({
      ...deployed,
      userPoolId: 'eu-west-1_AbC123',
      region: 'eu-west-1',
      authFlow: 'USER_SRP_AUTH',
      webSocketUrl: 'wss://abc.execute-api.eu-west-1.amazonaws.com/prod',
    });

    // Assess
    expect(config.cognitoEndpoint).toBeUndefined();
  });

  it('refuses a WebSocket URL that is not ws(s) and a pool of another region', () => {
    // Act / Assess
    expect(() => parseConfig({ ...local, webSocketUrl: 'http://127.0.0.1:3001' })).toThrow(
      'webSocketUrl: must be a ws:// or wss:// URL',
    );
    expect(() => parseConfig({ ...local, region: 'eu-west-1' })).toThrow(
      'userPoolId: must be a user pool of the configured region',
    );
  });

  it('refuses a configuration without the admin API, or with one that is not http(s)', () => {
    const { adminApiUrl: _, ...withoutAdminApi } = local;
    expect(() => parseConfig(withoutAdminApi)).toThrow('adminApiUrl: Invalid input');
    expect(() => parseConfig({ ...local, adminApiUrl: 'ws://127.0.0.1:3010' })).toThrow(
      'adminApiUrl: must be a http:// or https:// URL',
    );
  });

  it('refuses a non-object', () => {
    // Act / Assess
    expect(() => parseConfig(null)).toThrow(ConfigError);
  });
});
