import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  badTokens,
  createTestIssuer,
  type JwksServer,
  randomUserId,
  serveJwks,
  type TestIssuer,
} from '@tenant-assistant/testing';
import type { UnauthorizedError } from '../src/errors';

/** The issuer of the local stage's Cognito (an http issuer, as the issuer override mode serves). */
export const localIssuer = 'http://127.0.0.1:9229/us-east-1_LocalDev1';

/** What a refusal looks like: the error class and its HTTP status. */
export const refusal = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  return error instanceof Error
    ? { name: error.name, statusCode: (error as UnauthorizedError).statusCode }
    : { name: 'accepted', statusCode: 200 };
};
export const unauthorized = { name: 'UnauthorizedError', statusCode: 401 };
export const forbidden = { name: 'ForbiddenError', statusCode: 403 };

/** A token shaped like an ID token of `issuer` but signed by a key its JWKS does not hold. */
export const unknownKidToken = (issuer: TestIssuer, claims: Record<string, unknown> = {}) =>
  badTokens.unknownKid(
    {
      sub: randomUserId(),
      aud: issuer.clientId,
      token_use: 'id',
      iss: issuer.issuer,
      exp: Math.floor(Date.now() / 1000) + 60,
      ...claims,
    },
    issuer,
  );

/**
 * Nothing in the calling `describe` may reach the internet: any fetch not on loopback fails like an
 * offline machine. Returns the spy of the running test.
 */
export const offlineFetch = (): (() => jest.SpyInstance) => {
  let fetchSpy: jest.SpyInstance | undefined;
  beforeEach(() => {
    const realFetch = globalThis.fetch;
    fetchSpy = jest.spyOn(globalThis, 'fetch').mockImplementation((input, init) => {
      const url = String(input instanceof Request ? input.url : input);
      return url.startsWith('http://127.0.0.1:')
        ? realFetch(input, init)
        : Promise.reject(new TypeError('fetch failed (offline)'));
    });
  });
  afterEach(() => {
    fetchSpy?.mockRestore();
  });
  return () => fetchSpy as jest.SpyInstance;
};

/** How a scripted JWKS endpoint answers one request. */
export type JwksStep = 'ok' | 'slow' | 503 | 'html';

/** A JWKS endpoint whose behaviour each test scripts: `plan` answers request number n. */
export const troubledJwks = async (issuer: TestIssuer, plan: (n: number) => JwksStep) => {
  let requests = 0;
  const arrivals: number[] = [];
  const server: Server = createServer((_request, response) => {
    arrivals.push(Date.now());
    const step = plan(requests++);
    if (step === 'slow') return void setTimeout(() => response.end(JSON.stringify(issuer.jwks)), 1000);
    if (step === 503) return void response.writeHead(503).end('Service Unavailable');
    if (step === 'html') return void response.writeHead(200, { 'content-type': 'text/html' }).end('<html>');
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(issuer.jwks));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
  return {
    url,
    requests: () => requests,
    /** When each request arrived (epoch ms), in order. */
    arrivals: () => [...arrivals],
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
};

/** Runs `use` with a local issuer and its scripted JWKS endpoint, closed afterwards whatever happens. */
export const withTroubledJwks = async (
  plan: (n: number) => JwksStep,
  use: (scene: { issuer: TestIssuer; jwks: Awaited<ReturnType<typeof troubledJwks>> }) => Promise<void>,
) => {
  const issuer = await createTestIssuer({ issuer: localIssuer });
  const jwks = await troubledJwks(issuer, plan);
  try {
    await use({ issuer, jwks });
  } finally {
    await jwks.close();
  }
};

/** Runs `use` with a test issuer (made with `options`) and its JWKS served over http, closed afterwards. */
export const withServedJwks = async (
  options: Parameters<typeof createTestIssuer>[0],
  use: (scene: { issuer: TestIssuer; jwks: JwksServer }) => Promise<void>,
) => {
  const issuer = await createTestIssuer(options);
  const jwks = await serveJwks(issuer);
  try {
    await use({ issuer, jwks });
  } finally {
    await jwks.close();
  }
};
