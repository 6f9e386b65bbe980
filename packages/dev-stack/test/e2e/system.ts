import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createIntentRouterModel } from '@tenant-assistant/local-stack';
import {
  type AdminApiResponse,
  type Answer,
  adminRequest,
  awaitAnswer,
  type Session,
  sessionCache,
  submitPrompt,
} from '../../src/client';
import { KNOWN_DEV_PASSWORD } from '../../src/seed';
import { modelFromEnv } from '../../src/stack';
import { type TestSystem, useTestSystem } from '../support/system';

/** chat-api's answer deadline on the local stage (seconds after submit). */
export const DEADLINE_SECONDS = 240;
/** TEST-ONLY: a prompt containing this marker makes the local model stall until the test releases it. */
export const STALL = '[stall]';

/** A promise that resolves once `open()` is called (or after 60 s). */
const openGate = () => {
  let open: () => void = () => undefined;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
    setTimeout(resolve, 60_000).unref();
  });
  return { opened, open };
};

/** The one seeded system every end-to-end group runs against, and what the groups do with it. */
export interface E2eSystem extends TestSystem {
  /** Signed-in sessions by username (the known development password). */
  readonly sessions: ReturnType<typeof sessionCache>['sessions'];
  readonly session: ReturnType<typeof sessionCache>['session'];
  /** A request to auth's admin API as `caller`: a username (signed in), a session of its own, or none. */
  admin<T = unknown>(
    caller: string | Pick<Session, 'idToken'> | undefined,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<AdminApiResponse<T>>;
  /** Submits `prompt` as `username` and waits for its answer to end. */
  ask(username: string, prompt: string): Promise<Answer>;
  /** The dev tools' clients (admin key) for Cognito and DynamoDB. */
  adminClients(): { cognito: CognitoIdentityProviderClient; db: DynamoDBDocumentClient };
  /** Makes prompts with {@link STALL} wait from now on until the returned function releases them. */
  holdStalledPrompts(): () => void;
  /** TEST-ONLY fault: the action group sees this tenant id (the credentials stay the caller's); undefined: off. */
  tamperTenant(tenantId: string | undefined): void;
}

/**
 * Starts one system for the whole end-to-end run (start-up is the expensive part), on its own ports
 * so a running dev stack on the default ports is not disturbed, with the test-only faults off.
 */
export const useE2eSystem = (): E2eSystem => {
  let stallGate = openGate();
  let tamperedTenant: string | undefined;
  const rules = process.env.TA_LLM_BASE_URL ? modelFromEnv() : createIntentRouterModel();
  /** The rules model, except that it waits on a prompt with {@link STALL} until released (or 60 s). */
  const stallingModel = {
    name: `${rules.name} (stalls on ${STALL})`,
    next: async (turn: Parameters<typeof rules.next>[0], signal?: AbortSignal) => {
      if (turn.inputText?.includes(STALL)) {
        await new Promise<void>((resolve) => {
          void stallGate.opened.then(resolve);
          signal?.addEventListener('abort', () => resolve(), { once: true });
        });
      }
      return rules.next(turn, signal);
    },
  };
  const system = useTestSystem({
    ports: 'e2e',
    startTimeoutMs: 240_000,
    model: stallingModel,
    tamperActionGroupEvent: (event) =>
      tamperedTenant
        ? { ...event, sessionAttributes: { ...event.sessionAttributes, tenantId: tamperedTenant } }
        : event,
  });
  const { sessions, session } = sessionCache(() => system.stack.info, KNOWN_DEV_PASSWORD);

  return {
    get stack() {
      return system.stack;
    },
    get dataDir() {
      return system.dataDir;
    },
    sessions,
    session,
    admin: async (caller, method, path, body) =>
      adminRequest(
        system.stack.info,
        typeof caller === 'string' ? await session(caller) : caller,
        method,
        path,
        body,
      ),
    ask: async (username, prompt) => {
      const s = await session(username);
      const { answerId } = await submitPrompt(system.stack.info, s, prompt);
      return awaitAnswer(system.stack.info, s, answerId, { timeoutMs: 60_000 });
    },
    adminClients: () => {
      const { region, cognitoUrl, dynamodbUrl, adminCredentials: credentials } = system.stack.info;
      return {
        cognito: new CognitoIdentityProviderClient({ region, endpoint: cognitoUrl, credentials }),
        db: DynamoDBDocumentClient.from(new DynamoDBClient({ region, endpoint: dynamodbUrl, credentials })),
      };
    },
    holdStalledPrompts: () => {
      stallGate = openGate();
      return stallGate.open;
    },
    tamperTenant: (tenantId) => {
      tamperedTenant = tenantId;
    },
  };
};
