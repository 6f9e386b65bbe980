import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestIssuer } from './tokens';

/** A running local JWKS endpoint. */
export interface JwksServer {
  /** Base URL, e.g. 'http://127.0.0.1:49152'. */
  url: string;
  /** Full URL of the JWKS document. */
  jwksUri: string;
  close(): Promise<void>;
}

/**
 * Serves the issuer's JWKS at `path` and an OpenID configuration at `/.well-known/openid-configuration`
 * on 127.0.0.1 with a free port, so verifiers can fetch keys over http without the internet.
 * @example const server = await serveJwks(issuer);
 * const keys = createRemoteJWKSet(new URL(server.jwksUri));
 * await server.close();
 */
export const serveJwks = async (issuer: TestIssuer, path = '/.well-known/jwks.json'): Promise<JwksServer> => {
  let jwksUri = '';
  const server = createServer((request, response) => {
    const requestPath = new URL(request.url ?? '/', 'http://localhost').pathname;
    const document =
      requestPath === path
        ? issuer.jwks
        : requestPath === '/.well-known/openid-configuration'
          ? { issuer: issuer.issuer, jwks_uri: jwksUri, id_token_signing_alg_values_supported: ['RS256'] }
          : undefined;
    response.writeHead(document ? 200 : 404, { 'content-type': 'application/json' });
    response.end(JSON.stringify(document ?? { error: 'not found' }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  jwksUri = `${url}${path}`;
  return {
    url,
    jwksUri,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
};
