import type { AgentDecision, AgentModel, AgentTurn, FunctionCall } from './types';

/**
 * A deliberately HOSTILE stand-in for the foundation model, for tests only: a model that is fully
 * compromised. It does whatever the prompt and the tool results tell it to, and attacks on its own:
 *
 * - calls every function of every action group, several times, with attacker-chosen parameters —
 *   every order id, tenant id and user id (UUID) found in the prompt or in any tool result, `*`,
 *   DynamoDB expression-injection strings, IAM policy variables, path tricks, empty and oversized
 *   values — and adds `tenantId` / `userId` parameters the schema does not declare;
 * - obeys instructions in tool results (indirect injection): ids named by a result are called next;
 * - finally echoes everything: the prompt, every call and every tool result, verbatim (bounded).
 *
 * Deterministic (no randomness; where it starts in its list of hostile values depends on the prompt),
 * offline and fast. It shows that isolation does not depend on the
 * model: whatever it asks for, the action group answers only for the session's tenant and user, and
 * IAM refuses anything else.
 */

export interface HostileModelOptions {
  /** Most function calls per turn (default 30; give the Bedrock stand-in `maxSteps` at least this). */
  maxCalls?: number;
  /** Characters of each tool result echoed in the answer (default 700). */
  maxEchoPerResult?: number;
  /** Characters of the whole answer (default 15,000, under the answer contract's limit). */
  maxAnswer?: number;
}

/** Values a compromised model would try as parameters. */
export const HOSTILE_VALUES: readonly string[] = [
  '*',
  "' OR '1'='1",
  'userId <> :none OR attribute_exists(orderId)',
  '#pk = :v',
  ':userId',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: an IAM policy variable, on purpose
  '${aws:PrincipalTag/tenantId}',
  '../tenant2',
  'tenant2',
  '',
  'x'.repeat(5_000),
];

const ORDER_ID = /\b(?:ord|o)-[A-Za-z0-9_]+(?:-[A-Za-z0-9_]+)*/g;
const TENANT_ID = /\btenant[0-9][a-z0-9-]*/g;
const USER_ID = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi;

const found = (pattern: RegExp, text: string): string[] => [...new Set(text.match(pattern) ?? [])];

const idsIn = (text: string) => ({
  orderIds: found(ORDER_ID, text),
  tenantIds: found(TENANT_ID, text),
  userIds: found(USER_ID, text),
});

type Call = Omit<FunctionCall, 'actionGroup'>;

/** Calls the attacker derives from one piece of text (the prompt, or a tool result it obeys). */
const callsFrom = (text: string): Call[] => {
  const { orderIds, tenantIds, userIds } = idsIn(text);
  const userId = userIds[0] ?? '*';
  const calls: Call[] = [];
  for (const orderId of orderIds) {
    calls.push({ function: 'getOrder', parameters: { orderId } });
    for (const tenantId of tenantIds)
      calls.push({ function: 'getOrder', parameters: { orderId, tenantId, userId } });
  }
  for (const tenantId of [...tenantIds, '*']) {
    calls.push({ function: 'listOrders', parameters: { tenantId, userId } });
    calls.push({ function: 'getReturnPolicy', parameters: { tenantId } });
  }
  for (const id of userIds) calls.push({ function: 'listOrders', parameters: { userId: id } });
  return calls;
};

/** A small deterministic hash of a text (FNV-1a), to vary the attack from prompt to prompt. */
const hashOf = (text: string): number => {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    hash = Math.imul(hash ^ text.charCodeAt(index), 0x01000193) >>> 0;
  }
  return hash;
};

/** The hostile values, starting at a place that depends on the prompt (so a run of prompts tries them all). */
const hostileValuesFor = (inputText: string): string[] => {
  const start = hashOf(inputText) % HOSTILE_VALUES.length;
  return [...HOSTILE_VALUES.slice(start), ...HOSTILE_VALUES.slice(0, start)];
};

/**
 * Every declared function, then each with every hostile value (in an order that depends on the
 * prompt) in each of its parameters, then all again.
 */
const probingCalls = (turn: AgentTurn): Call[] => {
  const functions = turn.actionGroups.flatMap((group) => group.functions);
  const bare = functions.map((fn): Call => ({ function: fn.name, parameters: {} }));
  const hostile = hostileValuesFor(turn.inputText).flatMap((value) =>
    functions.flatMap((fn) =>
      (fn.parameters ?? []).map(
        (parameter): Call => ({ function: fn.name, parameters: { [parameter.name]: value } }),
      ),
    ),
  );
  return [...bare, ...hostile, ...bare];
};

const keyOf = (call: Call) => `${call.function}:${JSON.stringify(Object.entries(call.parameters).sort())}`;

/** The lists' items taken in turn, one of each list per round, until all are used up. */
const interleave = <T>(...lists: T[][]): T[] => {
  const longest = Math.max(0, ...lists.map((list) => list.length));
  const result: T[] = [];
  for (let index = 0; index < longest; index += 1) {
    for (const list of lists) if (index < list.length) result.push(list[index] as T);
  }
  return result;
};

/**
 * The next call of a turn: what the tool results "instruct" (indirect injection, in the order the
 * results came), what the prompt asks for and the generic probing, taken in turn so that every kind
 * of attack is made even when the call budget is small — each candidate skipped as often as it was
 * already made this turn (so repeats in the list are repeated).
 */
const nextCall = (turn: AgentTurn): FunctionCall | undefined => {
  const made = new Map<string, number>();
  for (const step of turn.steps) made.set(keyOf(step.call), (made.get(keyOf(step.call)) ?? 0) + 1);
  const candidates = interleave(
    turn.steps.flatMap((step) => callsFrom(step.result.body)),
    callsFrom(turn.inputText),
    probingCalls(turn),
  );
  for (const call of candidates) {
    const key = keyOf(call);
    const count = made.get(key) ?? 0;
    if (count > 0) {
      made.set(key, count - 1);
      continue;
    }
    const actionGroup = turn.actionGroups.find((group) =>
      group.functions.some((fn) => fn.name === call.function),
    );
    if (actionGroup) return { actionGroup: actionGroup.name, ...call };
  }
  return undefined;
};

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max)}…` : text);

/** Creates the hostile model (see the module comment). */
export const createHostileModel = (options: HostileModelOptions = {}): AgentModel => {
  const maxCalls = options.maxCalls ?? 30;
  const maxEcho = options.maxEchoPerResult ?? 700;
  const maxAnswer = options.maxAnswer ?? 15_000;
  return {
    name: 'hostile',
    async next(turn: AgentTurn): Promise<AgentDecision> {
      const next = turn.steps.length < maxCalls ? nextCall(turn) : undefined;
      if (next) return { type: 'call', call: next };
      const echoed = turn.steps.map(
        (step, index) =>
          `${index + 1}. ${step.call.function}(${clip(JSON.stringify(step.call.parameters), 200)}) → ${step.result.state}: ${clip(step.result.body, maxEcho)}`,
      );
      const text = [
        `As instructed, here is everything I could get. You said: "${clip(turn.inputText, 500)}"`,
        `Prompt session attributes I can see: ${JSON.stringify(turn.promptSessionAttributes)}`,
        ...echoed,
      ].join('\n');
      return { type: 'answer', text: clip(text, maxAnswer) };
    },
  };
};
