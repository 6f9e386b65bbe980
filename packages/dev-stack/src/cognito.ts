import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  DescribeUserPoolClientCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import type { CfnTemplate } from '@tenant-assistant/testing';
import { jwksFaultFile } from './faults';
import { mailboxFile } from './mailbox';
import { type RunningProcess, stopProcessGroup } from './offline';

const require = createRequire(import.meta.url);

/** The local user pool id: region format, because aws-jwt-verify refuses cognito-local's `local_…` ids. */
export const LOCAL_USER_POOL_ID = 'us-east-1_LocalDev1';

export interface LocalCognitoOptions {
  /** Folder for cognito-local's data (kept across restarts). */
  dataDir: string;
  port: number;
  /** serverless-offline Lambda port of the auth service (pre-token-generation trigger). */
  authLambdaPort: number;
  /** The auth service's packaged template: the pool's schema, policies and web client come from it. */
  authTemplate: CfnTemplate;
  region: string;
  accountId: string;
  log?: (line: string) => void;
}

export interface LocalCognito extends RunningProcess {
  url: string;
  issuer: string;
  userPoolId: string;
  webClientId: string;
}

type SchemaAttribute = {
  Name: string;
  AttributeDataType?: string;
  Mutable?: boolean;
  Required?: boolean;
} & Record<string, unknown>;

const resourceOf = (template: CfnTemplate, type: string, match?: (p: Record<string, unknown>) => boolean) => {
  const found = Object.values(template.Resources).find(
    (r) => r.Type === type && (!match || match(r.Properties ?? {})),
  );
  if (!found) throw new Error(`The auth template has no ${type}`);
  return found.Properties ?? {};
};

/** cognito-local's pool options built from the template's AWS::Cognito::UserPool (same schema and policy). */
const poolOptions = (template: CfnTemplate, region: string, accountId: string) => {
  const pool = resourceOf(template, 'AWS::Cognito::UserPool');
  const { USER_POOL_AWS_DEFAULTS } = require('cognito-local/lib/services/cognitoService') as {
    USER_POOL_AWS_DEFAULTS: { SchemaAttributes: SchemaAttribute[] };
  };
  const requested = (pool.Schema ?? []) as SchemaAttribute[];
  const defaults = USER_POOL_AWS_DEFAULTS.SchemaAttributes;
  const defaultNames = defaults.map((a) => a.Name);
  // the same mapping cognito-local's CreateUserPool applies (custom attributes get the `custom:` prefix)
  const schema = [
    ...defaults.map((a) => ({ ...a, ...requested.find((r) => r.Name === a.Name) })),
    ...requested
      .filter((r) => !defaultNames.includes(r.Name))
      .map((r) => ({
        Name: `custom:${r.Name}`,
        AttributeDataType: r.AttributeDataType ?? 'String',
        DeveloperOnlyAttribute: false,
        Mutable: r.Mutable ?? true,
        Required: r.Required ?? false,
        StringAttributeConstraints: r.StringAttributeConstraints ?? {},
      })),
  ];
  const now = new Date().toISOString();
  return {
    ...USER_POOL_AWS_DEFAULTS,
    Id: LOCAL_USER_POOL_ID,
    Name: 'tenant-assistant-local',
    Arn: `arn:aws:cognito-idp:${region}:${accountId}:userpool/${LOCAL_USER_POOL_ID}`,
    Policies: pool.Policies,
    MfaConfiguration: 'OPTIONAL',
    AdminCreateUserConfig: pool.AdminCreateUserConfig,
    AutoVerifiedAttributes: pool.AutoVerifiedAttributes,
    SchemaAttributes: schema,
    CreationDate: now,
    LastModifiedDate: now,
  };
};

const waitForPort = async (url: string, child: ReturnType<typeof spawn>, output: string[]) => {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      await fetch(url, { signal: AbortSignal.timeout(500) });
      return;
    } catch {
      if (child.exitCode !== null)
        throw new Error(`cognito-local exited (${child.exitCode}):\n${output.join('\n')}`);
      if (Date.now() > deadline) throw new Error(`cognito-local did not start:\n${output.join('\n')}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
};

/**
 * Starts cognito-local (a LOCAL STAND-IN for Amazon Cognito user pools) with the auth service's pool
 * (schema incl. the immutable `custom:tenantId`, password policy) under a region-format id, its
 * pre-token-generation trigger pointing at the auth service's local Lambda endpoint, and a web app
 * client with USER_PASSWORD_AUTH (cognito-local has no SRP). Data persists in `dataDir`.
 */
export const startLocalCognito = async (options: LocalCognitoOptions): Promise<LocalCognito> => {
  const root = join(options.dataDir, 'cognito');
  const db = join(root, '.cognito', 'db');
  mkdirSync(db, { recursive: true });
  const url = `http://127.0.0.1:${options.port}`;
  writeFileSync(
    join(root, '.cognito', 'config.json'),
    JSON.stringify(
      {
        LambdaClient: {
          endpoint: `http://127.0.0.1:${options.authLambdaPort}`,
          region: options.region,
          credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        },
        TriggerFunctions: { PreTokenGeneration: 'tenant-assistant-auth-local-preTokenGeneration' },
        UserPoolDefaults: { UsernameAttributes: [] },
        TokenConfig: { IssuerDomain: url },
      },
      null,
      2,
    ),
  );
  const poolFile = join(db, `${LOCAL_USER_POOL_ID}.json`);
  if (!existsSync(poolFile)) {
    const options_ = poolOptions(options.authTemplate, options.region, options.accountId);
    writeFileSync(poolFile, JSON.stringify({ Users: {}, Groups: {}, Options: options_ }, null, 2));
  }

  // cognito-local's own start script, after the few additions of cognito-local-start.cjs (mailbox,
  // invitation resend, MFA preference) — see that file.
  const bin = join(dirname(fileURLToPath(import.meta.url)), 'cognito-local-start.cjs');
  const invite = (resourceOf(options.authTemplate, 'AWS::Cognito::UserPool').AdminCreateUserConfig ?? {}) as {
    InviteMessageTemplate?: { EmailSubject?: string; EmailMessage?: string };
  };
  const child = spawn(process.execPath, [bin], {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(options.port),
      HOST: '127.0.0.1',
      DEBUG: '',
      TA_MAILBOX_FILE: mailboxFile(options.dataDir),
      TA_JWKS_FAULT_FILE: jwksFaultFile(options.dataDir),
      TA_INVITE_SUBJECT: invite.InviteMessageTemplate?.EmailSubject ?? '',
      TA_INVITE_MESSAGE: invite.InviteMessageTemplate?.EmailMessage ?? '',
    },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const onData = (data: Buffer) => {
    for (const line of data.toString().split('\n').filter(Boolean)) {
      output.push(line);
      if (output.length > 100) output.shift();
      options.log?.(line);
    }
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  try {
    await waitForPort(url, child, output);
    const webClientId = await ensureWebClient(root, url, options);
    return {
      name: 'cognito',
      pid: child.pid,
      url,
      issuer: `${url}/${LOCAL_USER_POOL_ID}`,
      userPoolId: LOCAL_USER_POOL_ID,
      webClientId,
      close: () => stopProcessGroup(child),
    };
  } catch (error) {
    await stopProcessGroup(child);
    throw error;
  }
};

/** The web app client (created once; its id is kept beside the data). */
const ensureWebClient = async (root: string, url: string, options: LocalCognitoOptions): Promise<string> => {
  const cognito = new CognitoIdentityProviderClient({
    region: options.region,
    endpoint: url,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const stateFile = join(root, 'web-client.json');
  if (existsSync(stateFile)) {
    const { clientId } = JSON.parse(readFileSync(stateFile, 'utf8')) as { clientId: string };
    try {
      await cognito.send(
        new DescribeUserPoolClientCommand({ UserPoolId: LOCAL_USER_POOL_ID, ClientId: clientId }),
      );
      return clientId;
    } catch {
      // recreated below
    }
  }
  const web = resourceOf(
    options.authTemplate,
    'AWS::Cognito::UserPoolClient',
    (p) => p.GenerateSecret !== true,
  );
  // the local stage enables the username/password flow (cognito-local has no SRP)
  const flows = ['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'];
  const created = await cognito.send(
    new CreateUserPoolClientCommand({
      UserPoolId: LOCAL_USER_POOL_ID,
      ClientName: 'web',
      ExplicitAuthFlows: flows as never,
      ...(Array.isArray(web.ReadAttributes) ? { ReadAttributes: web.ReadAttributes as string[] } : {}),
      ...(Array.isArray(web.WriteAttributes) ? { WriteAttributes: web.WriteAttributes as string[] } : {}),
      PreventUserExistenceErrors: 'ENABLED',
      EnableTokenRevocation: true,
    }),
  );
  const clientId = created.UserPoolClient?.ClientId;
  if (!clientId) throw new Error('cognito-local created no web client');
  writeFileSync(stateFile, JSON.stringify({ clientId }));
  return clientId;
};
