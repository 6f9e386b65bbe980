import { randomUUID } from 'node:crypto';
import { estimateUsage, modelInvocationTrace } from './event-stream';
import { AgentFault } from './faults';
import type { InvokeAgentIds } from './request';
import { stringMap } from './request';
import type {
  ActionGroupDefinition,
  AgentDecision,
  AgentModel,
  AgentStep,
  BedrockActionGroupEvent,
  BedrockActionGroupResponse,
  ConversationTurn,
  FunctionCall,
  FunctionResult,
  InvokeActionGroup,
} from './types';

/** What the agent is configured with (the same for every turn). */
export interface AgentSetup {
  model: AgentModel;
  actionGroups: readonly ActionGroupDefinition[];
  maxSteps: number;
  invokeActionGroup: InvokeActionGroup;
  agentName: (agentId: string) => string;
  agentVersion: string;
}

/** One InvokeAgent turn in progress: the session it continues and what it has done so far. */
export interface Turn {
  ids: InvokeAgentIds;
  inputText: string;
  promptSessionAttributes: Record<string, string>;
  session: { turns: ConversationTurn[]; sessionAttributes: Record<string, string> };
  steps: AgentStep[];
  traces: Record<string, unknown>[];
  calls: Array<FunctionCall & { state?: FunctionResult['state']; error?: string }>;
}

const actionGroupEvent = (setup: AgentSetup, turn: Turn, call: FunctionCall): BedrockActionGroupEvent => {
  const definition = setup.actionGroups
    .find((group) => group.name === call.actionGroup)
    ?.functions.find((fn) => fn.name === call.function);
  return {
    messageVersion: '1.0',
    agent: {
      name: setup.agentName(turn.ids.agentId),
      id: turn.ids.agentId,
      alias: turn.ids.agentAliasId,
      version: setup.agentVersion,
    },
    inputText: turn.inputText,
    sessionId: turn.ids.sessionId,
    actionGroup: call.actionGroup,
    function: call.function,
    parameters: Object.entries(call.parameters).map(([name, value]) => ({
      name,
      type: definition?.parameters?.find((p) => p.name === name)?.type ?? 'string',
      value,
    })),
    sessionAttributes: { ...turn.session.sessionAttributes },
    promptSessionAttributes: { ...turn.promptSessionAttributes },
  };
};

/** Runs the action group with Bedrock's function-details event; its answer must carry a TEXT body. */
const callActionGroup = async (
  setup: AgentSetup,
  turn: Turn,
  call: FunctionCall,
): Promise<{ result: FunctionResult; response: BedrockActionGroupResponse }> => {
  const response = await setup.invokeActionGroup(actionGroupEvent(setup, turn, call));
  const functionResponse = response?.response?.functionResponse;
  const body = functionResponse?.responseBody?.TEXT?.body;
  if (typeof body !== 'string') {
    throw new AgentFault(
      'DependencyFailedException',
      'The server encountered an error processing the Lambda response. Check the Lambda response and retry the request',
    );
  }
  return { result: { body, state: functionResponse?.responseState ?? 'OK' }, response };
};

const decide = async (setup: AgentSetup, turn: Turn): Promise<AgentDecision> => {
  const { inputText, steps, promptSessionAttributes } = turn;
  const history = turn.session.turns;
  let decision: AgentDecision;
  try {
    decision = await setup.model.next({
      inputText,
      history,
      actionGroups: setup.actionGroups,
      steps,
      promptSessionAttributes,
    });
  } catch (error) {
    throw new AgentFault('InternalServerException', `The model failed: ${(error as Error).message}`);
  }
  turn.traces.push(
    modelInvocationTrace(
      estimateUsage({ inputText, history, steps, actionGroups: setup.actionGroups }, decision),
    ),
  );
  return decision;
};

const invocationInputTrace = (call: FunctionCall) => ({
  orchestrationTrace: {
    invocationInput: {
      invocationType: 'ACTION_GROUP',
      traceId: randomUUID(),
      actionGroupInvocationInput: {
        actionGroupName: call.actionGroup,
        function: call.function,
        parameters: Object.entries(call.parameters).map(([name, value]) => ({ name, type: 'string', value })),
        executionType: 'LAMBDA',
      },
    },
  },
});

/** One function call the model chose: refused when unknown, else run, its result fed back. */
const runCall = async (setup: AgentSetup, turn: Turn, call: FunctionCall) => {
  const known = setup.actionGroups.some(
    (group) => group.name === call.actionGroup && group.functions.some((fn) => fn.name === call.function),
  );
  if (!known) {
    turn.steps.push({ call, result: { body: `Unknown function ${call.function}`, state: 'FAILURE' } });
    turn.calls.push({ ...call, state: 'FAILURE', error: 'unknown function' });
    return;
  }
  turn.traces.push(invocationInputTrace(call));
  let outcome: Awaited<ReturnType<typeof callActionGroup>>;
  try {
    outcome = await callActionGroup(setup, turn, call);
  } catch (error) {
    turn.calls.push({ ...call, error: error instanceof Error ? error.message : String(error) });
    if (error instanceof AgentFault) throw error;
    throw new AgentFault(
      'DependencyFailedException',
      `Received failed response from the action group Lambda: ${error instanceof Error ? error.name : 'Error'}`,
    );
  }
  if (outcome.response.sessionAttributes) {
    turn.session.sessionAttributes = stringMap(outcome.response.sessionAttributes, 'sessionAttributes');
  }
  turn.steps.push({ call, result: outcome.result });
  turn.calls.push({ ...call, state: outcome.result.state });
  turn.traces.push({
    orchestrationTrace: {
      observation: {
        type: 'ACTION_GROUP',
        traceId: randomUUID(),
        actionGroupInvocationOutput: { text: outcome.result.body },
      },
    },
  });
};

/**
 * The agent's orchestration loop: the model decides, chosen functions run, their results go back
 * to the model, until it answers or `maxSteps` calls were made. Returns the answer, if any.
 */
export const orchestrate = async (setup: AgentSetup, turn: Turn): Promise<string | undefined> => {
  for (let step = 0; step <= setup.maxSteps; step += 1) {
    const decision = await decide(setup, turn);
    if (decision.type === 'answer') return decision.text;
    if (step === setup.maxSteps) break;
    await runCall(setup, turn, decision.call);
  }
  return undefined;
};
