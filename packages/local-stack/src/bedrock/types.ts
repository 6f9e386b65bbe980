import type { BedrockActionGroupEvent } from '@tenant-assistant/testing';
/** Action-group function definitions (the agent's "function details" schema). */
export interface ActionFunctionParameter {
  name: string;
  type: 'string' | 'number' | 'integer' | 'boolean' | 'array';
  description?: string;
  required?: boolean;
}

export interface ActionFunctionDefinition {
  name: string;
  description: string;
  parameters?: readonly ActionFunctionParameter[];
}

export interface ActionGroupDefinition {
  name: string;
  functions: readonly ActionFunctionDefinition[];
}

/** The Tenant Assistant's action group (DESIGN §4): getReturnPolicy, listOrders(status?), getOrder(orderId). */
export const ORDER_ACTION_GROUP: ActionGroupDefinition = {
  name: 'orders',
  functions: [
    { name: 'getReturnPolicy', description: "The tenant's return policy in days", parameters: [] },
    {
      name: 'listOrders',
      description: "The caller's orders, optionally with one status",
      parameters: [
        {
          name: 'status',
          type: 'string',
          description: 'Only orders with this status: pending, shipped, delivered or cancelled',
          required: false,
        },
      ],
    },
    {
      name: 'getOrder',
      description: "One of the caller's orders",
      parameters: [
        { name: 'orderId', type: 'string', description: 'The order id, e.g. ord-1001', required: true },
      ],
    },
  ],
};

/** The event Bedrock sends an action-group Lambda (function-details form): the test fixtures' one declaration. */
export type { BedrockActionGroupEvent };

/** What the action-group Lambda answers. */
export interface BedrockActionGroupResponse {
  messageVersion: string;
  response: {
    actionGroup: string;
    function: string;
    functionResponse: {
      responseState?: 'FAILURE' | 'REPROMPT';
      responseBody: { TEXT: { body: string } };
    };
  };
  sessionAttributes?: Record<string, string>;
  promptSessionAttributes?: Record<string, string>;
}

export type InvokeActionGroup = (event: BedrockActionGroupEvent) => Promise<BedrockActionGroupResponse>;

/** One function call the model asks for. */
export interface FunctionCall {
  actionGroup: string;
  function: string;
  parameters: Record<string, string>;
  /** The model's own id for the call (tool calling), when it has one. */
  id?: string;
}

export interface FunctionResult {
  body: string;
  state: 'OK' | 'FAILURE' | 'REPROMPT';
}

export interface AgentStep {
  call: FunctionCall;
  result: FunctionResult;
}

export interface ConversationTurn {
  user: string;
  assistant: string;
  /** Functions called during that turn. */
  calls: FunctionCall[];
}

/**
 * What the model sees for one orchestration step. Session attributes (identity, credentials) are
 * deliberately absent: like Bedrock, the stand-in never shows them to the model.
 */
export interface AgentTurn {
  inputText: string;
  history: readonly ConversationTurn[];
  actionGroups: readonly ActionGroupDefinition[];
  /** Calls made so far in this turn, with their results. */
  steps: readonly AgentStep[];
  promptSessionAttributes: Readonly<Record<string, string>>;
}

export type AgentDecision = { type: 'call'; call: FunctionCall } | { type: 'answer'; text: string };

/** The "model" of the Bedrock Agent Runtime stand-in: decides the next function call or the answer. */
export interface AgentModel {
  readonly name: string;
  next(turn: AgentTurn, signal?: AbortSignal): Promise<AgentDecision>;
}
