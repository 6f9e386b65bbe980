import { BedrockAgentFunctionResolver } from '@aws-lambda-powertools/event-handler/bedrock-agent';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { TenantContext } from '@tenant-assistant/tenant-context';
import type { ScopedCredentials } from '@tenant-assistant/tenant-context/credentials';
import type * as z from 'zod';
import type { ActionGroupConfig } from '../config';
import { parameterSchemas, parseParameters } from '../domain/parameters';
import { getOrder, getReturnPolicy, listOrders, type TenantDataDeps } from '../domain/tenant-data';
import { UnknownFunctionError } from '../errors';
import {
  type ActionGroupEvent,
  type ActionGroupEventWithTenant,
  type ActionGroupResponse,
  bedrockResponseOnly,
  failureResponse,
  functionResponse,
} from './envelope';

/** The ports of the action-group function. */
export interface ActionGroupDeps {
  /** Configuration, read once on first use. */
  config: () => ActionGroupConfig;
  /** A DynamoDB client signing with the request's tenant-scoped credentials. */
  documentClientFor: (credentials: ScopedCredentials) => DynamoDBDocumentClient;
  logger: Logger;
}

type Action<S extends z.ZodType> = {
  description: string;
  parameters: S;
  run: (deps: TenantDataDeps, tenant: TenantContext, params: z.output<S>) => Promise<unknown>;
};

/** The action group's functions: the names and parameters declared in the agent's function schema. */
const ACTIONS = {
  getReturnPolicy: {
    description: "The tenant's return policy in days",
    parameters: parameterSchemas.getReturnPolicy,
    run: getReturnPolicy,
  } satisfies Action<typeof parameterSchemas.getReturnPolicy>,
  listOrders: {
    description: "The caller's orders, optionally with one status",
    parameters: parameterSchemas.listOrders,
    run: listOrders,
  } satisfies Action<typeof parameterSchemas.listOrders>,
  getOrder: {
    description: "One of the caller's orders",
    parameters: parameterSchemas.getOrder,
    run: getOrder,
  } satisfies Action<typeof parameterSchemas.getOrder>,
} as const;

export type ActionGroupFunction = keyof typeof ACTIONS;
export const ACTION_GROUP_FUNCTIONS = Object.keys(ACTIONS) as ActionGroupFunction[];

const isActionGroupFunction = (name: unknown): name is ActionGroupFunction =>
  typeof name === 'string' && Object.hasOwn(ACTIONS, name);

/** The tenant-data ports of one invocation: a client on the scoped credentials and a deadline. */
const tenantDataDeps = (deps: ActionGroupDeps, event: ActionGroupEventWithTenant): TenantDataDeps => {
  const config = deps.config();
  return {
    db: deps.documentClientFor(event.scopedCredentials),
    tables: config.tables,
    abortSignal: AbortSignal.timeout(config.dataTimeoutMs),
  };
};

/**
 * A Powertools Bedrock agent function resolver with this action group's functions. Each function
 * validates the model's parameters, runs with the tenant and scoped credentials that the
 * `sessionAttributesTenantContext` middleware put on the event, and answers in Bedrock's envelope;
 * any error becomes a logged FAILURE response (never the resolver's default, which would show the
 * error's message to the model).
 */
export const createActionGroupResolver = (deps: ActionGroupDeps): BedrockAgentFunctionResolver => {
  const resolver = new BedrockAgentFunctionResolver({ logger: deps.logger });
  for (const name of ACTION_GROUP_FUNCTIONS) {
    const action = ACTIONS[name] as Action<z.ZodType>;
    resolver.tool(
      async (params, { event }) => {
        const request = event as unknown as ActionGroupEventWithTenant;
        try {
          const args = parseParameters(action.parameters, params);
          const answer = await action.run(tenantDataDeps(deps, request), request.tenant, args);
          return functionResponse(answer);
        } catch (error) {
          return failureResponse(deps.logger, request, error);
        }
      },
      { name, description: action.description },
    );
  }
  return resolver;
};

/**
 * Routes one action-group event (its tenant context already established) to its function. An unknown
 * function is refused with UnknownFunctionError (the resolver itself would answer a non-FAILURE text).
 */
export const resolveAction = async (
  resolver: BedrockAgentFunctionResolver,
  event: ActionGroupEventWithTenant,
  context: Parameters<BedrockAgentFunctionResolver['resolve']>[1],
): Promise<ActionGroupResponse> => {
  if (!isActionGroupFunction(event.function)) throw new UnknownFunctionError(String(event.function));
  return bedrockResponseOnly(await resolver.resolve(event as ActionGroupEvent, context));
};
