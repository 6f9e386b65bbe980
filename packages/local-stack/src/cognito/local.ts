import { mkdir } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { type ListenOptions, type LocalEndpoint, listen, trackConnections } from '../common/net';
import { localRequire } from '../common/require';
import { StandInStartError } from '../errors';

export interface CognitoLocalOptions extends ListenOptions {
  /** Where cognito-local keeps pools, users and clients (JSON files); created if missing. */
  dataDir: string;
  /** A region-format id (`<region>_<id>`), which aws-jwt-verify's CognitoJwtVerifier accepts. Default `us-east-1_LocalDev1`. */
  userPoolId?: string;
  userPoolName?: string;
  /** Fixed app client id (default `localdevwebclient0000000001`). */
  clientId?: string;
  clientName?: string;
  /** Custom attributes created immutable, without the `custom:` prefix. Default `['tenantId']`. */
  customAttributes?: readonly string[];
  /** Lambda endpoint for triggers, e.g. serverless-offline's `http://127.0.0.1:3002`. */
  lambdaEndpoint?: string;
  /** Trigger → Lambda function name (as the Lambda endpoint knows it), e.g. `{ PreTokenGeneration: 'auth-local-preTokenGeneration' }`. */
  triggers?: Readonly<Partial<Record<CognitoTrigger, string>>>;
  /** Scheme+host+port the tokens' issuer starts with. Default: this stand-in's URL. */
  issuerBaseUrl?: string;
  /** ID and access token lifetime in hours (default 1). */
  tokenValidityHours?: number;
}

export type CognitoTrigger =
  | 'PreTokenGeneration'
  | 'PreSignUp'
  | 'PostConfirmation'
  | 'PostAuthentication'
  | 'UserMigration'
  | 'CustomMessage';

export interface CognitoMessage {
  username: string;
  destination: string;
  code?: string;
  subject?: string;
}

export interface CognitoLocal extends LocalEndpoint {
  readonly userPoolId: string;
  readonly clientId: string;
  readonly region: string;
  /** `<issuerBaseUrl>/<userPoolId>` — the `iss` of the tokens. */
  readonly issuer: string;
  readonly jwksUrl: string;
  /** Codes cognito-local would have e-mailed or texted (nothing is sent anywhere). */
  messages(): readonly CognitoMessage[];
}

type Ctx = { logger: unknown };
type Constructor = new (...args: unknown[]) => unknown;
interface AppClientRecord {
  ClientId: string;
}
interface UserPoolService {
  saveAppClient(ctx: Ctx, client: Record<string, unknown>): Promise<void>;
}
interface CognitoService {
  getUserPool(ctx: Ctx, id: string): Promise<UserPoolService>;
  createUserPool(ctx: Ctx, pool: Record<string, unknown>): Promise<unknown>;
  getAppClient(ctx: Ctx, clientId: string): Promise<AppClientRecord | null>;
}

const cognitoLocalRequire = () => {
  const packageJson = localRequire.resolve('cognito-local/package.json');
  // cognito-local's own dependencies (aws-sdk v2, pino) resolve from its folder.
  return { lib: localRequire, deps: createRequire(packageJson) };
};

/**
 * cognito-local answers a wrong password with InvalidPasswordException; Cognito answers
 * NotAuthorizedException "Incorrect username or password." (what sign-in forms rely on).
 */
const answerWrongPasswordLikeCognito = (res: ServerResponse) => {
  const originalEnd = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
  res.end = ((...args: unknown[]) => {
    const [chunk] = args;
    if (res.statusCode === 400 && chunk !== undefined && typeof chunk !== 'function') {
      const text = Buffer.isBuffer(chunk) ? chunk.toString('utf8') : String(chunk);
      if (text.includes('"InvalidPasswordException"')) {
        const body = JSON.stringify({
          __type: 'NotAuthorizedException',
          message: 'Incorrect username or password.',
        });
        res.setHeader('content-length', Buffer.byteLength(body));
        return originalEnd(body);
      }
    }
    return originalEnd(...args);
  }) as ServerResponse['end'];
};

const REGION_POOL_ID = /^([a-z]{2}(?:-[a-z]+)+-\d)_[0-9A-Za-z]+$/;

/**
 * Local stand-in for Amazon Cognito user pools: the npm package `cognito-local`, run in-process on
 * loopback, with one user pool (region-format id, custom attributes), one app client allowing
 * USER_PASSWORD_AUTH, and optional Lambda triggers. Its openid-configuration (hard-coded to port 9229
 * by cognito-local) is answered here with the real issuer and JWKS URL.
 */
export const startCognitoLocal = async (options: CognitoLocalOptions): Promise<CognitoLocal> => {
  const userPoolId = options.userPoolId ?? 'us-east-1_LocalDev1';
  const region = REGION_POOL_ID.exec(userPoolId)?.[1];
  if (!region) {
    throw new StandInStartError(
      `User pool id "${userPoolId}" must look like <region>_<id>, e.g. us-east-1_LocalDev1`,
    );
  }
  const clientId = options.clientId ?? 'localdevwebclient0000000001';
  const dbDir = join(options.dataDir, 'db');
  await mkdir(dbDir, { recursive: true });

  // AWS SDK v2 (inside cognito-local) would print its maintenance notice on load.
  process.env.AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE ??= '1';
  const { lib, deps } = cognitoLocalRequire();
  const load = (path: string) => lib(`cognito-local/lib/${path}`) as Record<string, unknown>;
  const pick = <T = Constructor>(path: string, name: string): T => {
    const value = load(path)[name];
    if (value === undefined) {
      throw new StandInStartError(
        `This version of cognito-local has no ${name} in lib/${path}; the stand-in needs it`,
      );
    }
    return value as T;
  };
  const DateClock = pick('services', 'DateClock');
  const TriggersService = pick('services', 'TriggersService');
  const LambdaService = pick('services', 'LambdaService');
  const MessagesService = pick('services', 'MessagesService');
  const CognitoServiceFactoryImpl = pick('services/cognitoService', 'CognitoServiceFactoryImpl');
  const USER_POOL_AWS_DEFAULTS = pick<{ SchemaAttributes: unknown[] }>(
    'services/cognitoService',
    'USER_POOL_AWS_DEFAULTS',
  );
  const UserPoolServiceFactoryImpl = pick('services/userPoolService', 'UserPoolServiceFactoryImpl');
  const StormDBDataStoreFactory = pick('services/dataStore/stormDb', 'StormDBDataStoreFactory');
  const MessageDeliveryService = pick('services/messageDelivery/messageDelivery', 'MessageDeliveryService');
  const JwtTokenGenerator = pick('services/tokenGenerator', 'JwtTokenGenerator');
  const CryptoService = pick('services/crypto', 'CryptoService');
  const otp = pick<() => string>('services/otp', 'otp');
  const Router = pick<(services: unknown) => unknown>('server/Router', 'Router');
  const createCognitoApp = pick<
    (router: unknown, logger: unknown, options: unknown, services: unknown) => { application: unknown }
  >('server/server', 'createServer');
  const pino = deps('pino') as (options: { level: string }) => unknown;
  const AWS = deps('aws-sdk') as { Lambda: Constructor };

  const logger = pino({ level: 'silent' });
  const ctx: Ctx = { logger };
  const sent: CognitoMessage[] = [];
  const recordingSender = {
    send(
      user: { Username: string },
      destination: string,
      message: { __code?: string; emailSubject?: string },
    ) {
      sent.push({
        username: user.Username,
        destination,
        ...(message.__code ? { code: message.__code } : {}),
        ...(message.emailSubject ? { subject: message.emailSubject } : {}),
      });
      return Promise.resolve();
    },
    sendEmail(_ctx: Ctx, user: { Username: string }, destination: string, message: { __code?: string }) {
      return this.send(user, destination, message);
    },
    sendSms(_ctx: Ctx, user: { Username: string }, destination: string, message: { __code?: string }) {
      return this.send(user, destination, message);
    },
  };

  const tokenConfig = { IssuerDomain: 'http://127.0.0.1' };
  const config = {
    LambdaClient: {
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      region,
      ...(options.lambdaEndpoint ? { endpoint: options.lambdaEndpoint } : {}),
      maxRetries: 0,
    },
    TriggerFunctions: { ...(options.triggers ?? {}) },
    UserPoolDefaults: {},
    KMSConfig: { credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, region },
    ServerConfig: {
      port: options.port ?? 9229,
      hostname: options.host ?? '127.0.0.1',
      development: false,
      https: false,
    },
    TokenConfig: tokenConfig,
  };
  const clock = new DateClock();
  const dataStoreFactory = new StormDBDataStoreFactory(dbDir);
  const cognito = (await (
    new CognitoServiceFactoryImpl(
      dbDir,
      dataStoreFactory,
      new UserPoolServiceFactoryImpl(clock, dataStoreFactory),
    ) as {
      create(ctx: Ctx, defaults: unknown): Promise<CognitoService>;
    }
  ).create(ctx, {})) as CognitoService;
  const triggers = new TriggersService(
    clock,
    cognito,
    new LambdaService(config.TriggerFunctions, new AWS.Lambda(config.LambdaClient)),
    new CryptoService(config.KMSConfig),
  );
  const allServices = {
    clock,
    cognito,
    config,
    messages: new MessagesService(triggers, new MessageDeliveryService(recordingSender)),
    otp,
    tokenGenerator: new JwtTokenGenerator(clock, triggers, tokenConfig),
    triggers,
  };

  // The pool and the app client, created once (kept in dataDir across restarts).
  // getUserPool throws synchronously when the pool is missing.
  const existingPool = async () => cognito.getUserPool(ctx, userPoolId);
  const pool = await existingPool().catch(async () => {
    const defaults = USER_POOL_AWS_DEFAULTS.SchemaAttributes;
    const now = new Date();
    await cognito.createUserPool(ctx, {
      Id: userPoolId,
      Name: options.userPoolName ?? 'tenant-assistant-local',
      Arn: `arn:aws:cognito-idp:${region}:000000000000:userpool/${userPoolId}`,
      CreationDate: now,
      LastModifiedDate: now,
      MfaConfiguration: 'OFF',
      SchemaAttributes: [
        ...defaults,
        ...(options.customAttributes ?? ['tenantId']).map((name) => ({
          Name: `custom:${name}`,
          AttributeDataType: 'String',
          DeveloperOnlyAttribute: false,
          Mutable: false,
          Required: false,
          StringAttributeConstraints: { MinLength: '1', MaxLength: '256' },
        })),
      ],
    });
    return existingPool();
  });
  if (!(await cognito.getAppClient(ctx, clientId))) {
    const now = new Date();
    const validity = options.tokenValidityHours ?? 1;
    await pool.saveAppClient(ctx, {
      ClientId: clientId,
      ClientName: options.clientName ?? 'local-web',
      UserPoolId: userPoolId,
      CreationDate: now,
      LastModifiedDate: now,
      ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_SRP_AUTH'],
      AccessTokenValidity: validity,
      IdTokenValidity: validity,
      RefreshTokenValidity: 30,
      TokenValidityUnits: { AccessToken: 'hours', IdToken: 'hours', RefreshToken: 'days' },
      ReadAttributes: [
        'email',
        'email_verified',
        ...(options.customAttributes ?? ['tenantId']).map((n) => `custom:${n}`),
      ],
      WriteAttributes: ['email'],
    });
  }

  const app = createCognitoApp(Router(allServices), logger, config.ServerConfig, allServices).application as (
    req: IncomingMessage,
    res: ServerResponse,
  ) => void;
  let issuerBase = '';
  const server = createServer((req, res) => {
    const openId = /^\/([^/?]+)\/\.well-known\/openid-configuration(?:\?.*)?$/.exec(req.url ?? '');
    if (req.method === 'GET' && openId) {
      const poolId = decodeURIComponent(openId[1] as string);
      const body = JSON.stringify({
        issuer: `${issuerBase}/${poolId}`,
        jwks_uri: `${issuerBase}/${poolId}/.well-known/jwks.json`,
        id_token_signing_alg_values_supported: ['RS256'],
        response_types_supported: ['code', 'token'],
        subject_types_supported: ['public'],
      });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(body);
      return;
    }
    const target = String(req.headers['x-amz-target'] ?? '');
    if (req.method === 'POST' && /\.(Admin)?InitiateAuth$/.test(target)) answerWrongPasswordLikeCognito(res);
    app(req, res);
  });
  const close = trackConnections(server);
  const { url } = await listen(server, options, 9229);
  issuerBase = (options.issuerBaseUrl ?? url).replace(/\/+$/, '');
  tokenConfig.IssuerDomain = issuerBase;
  return {
    url,
    userPoolId,
    clientId,
    region,
    issuer: `${issuerBase}/${userPoolId}`,
    jwksUrl: `${url}/${userPoolId}/.well-known/jwks.json`,
    messages: () => [...sent],
    close,
  };
};
