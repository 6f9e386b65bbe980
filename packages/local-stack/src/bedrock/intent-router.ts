import type {
  AgentDecision,
  AgentModel,
  AgentTurn,
  ConversationTurn,
  FunctionCall,
  FunctionResult,
} from './types';

/**
 * A deterministic stand-in for the foundation model: routes a prompt to one action-group function by
 * keywords, then phrases the answer from the function's JSON result. Offline and instant. It takes
 * only an order id or a status from the prompt — never a tenant or a user.
 */

export const FALLBACK_ANSWER =
  'I can help you with our return policy, with your orders (optionally only the pending, shipped, delivered or cancelled ones), and with a specific order if you give me its id, for example ord-1001.';
export const FAILURE_ANSWER = "I'm sorry, I couldn't get that information right now. Please try again later.";
export const REPROMPT_ANSWER =
  'Could you give me a bit more detail, for example the id of the order you mean?';

type Intent =
  | { function: 'getReturnPolicy'; parameters: Record<string, string> }
  | { function: 'listOrders'; parameters: Record<string, string> }
  | { function: 'getOrder'; parameters: Record<string, string> }
  | { function: 'none' };

const STATUS_WORDS: Array<[RegExp, string]> = [
  [/\bpending\b/, 'pending'],
  [/\bshipped\b/, 'shipped'],
  [/\bdelivered\b/, 'delivered'],
  [/\bcancel+ed\b/, 'cancelled'],
];

const statusIn = (text: string): string | undefined =>
  STATUS_WORDS.find(([pattern]) => pattern.test(text))?.[1];

const ORDER_ID_FORMS = [
  /\b(ord-[A-Za-z0-9][A-Za-z0-9_.:-]*)/i,
  /\b(o-[A-Za-z0-9_.:-]*\d[A-Za-z0-9_.:-]*)/i,
  /\border\s*(?:#|no\.?|number|id)?\s*:?\s*#?([A-Za-z0-9][A-Za-z0-9_.:-]*\d[A-Za-z0-9_.:-]*)/i,
];

const orderIdIn = (text: string): string | undefined => {
  for (const form of ORDER_ID_FORMS) {
    const match = form.exec(text);
    if (match?.[1]) return match[1].replace(/[.:-]+$/, '');
  }
  return undefined;
};

export const routeIntent = (inputText: string, history: readonly ConversationTurn[] = []): Intent => {
  const text = inputText.toLowerCase();
  const orderId = orderIdIn(inputText);
  if (orderId) return { function: 'getOrder', parameters: { orderId } };
  if (/\breturn(s|ed|ing)?\b|\brefunds?\b|\bsend (it|them|something) back\b/.test(text)) {
    return { function: 'getReturnPolicy', parameters: {} };
  }
  const status = statusIn(text);
  if (/\borders?\b|\bpurchases?\b|\bbought\b/.test(text)) {
    return { function: 'listOrders', parameters: status ? { status } : {} };
  }
  // A follow-up such as "only the shipped ones" after a list of orders.
  const previous = history.at(-1);
  if (status && previous?.calls.some((call) => call.function === 'listOrders')) {
    return { function: 'listOrders', parameters: { status } };
  }
  return { function: 'none' };
};

const parse = (body: string): unknown => {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
};

type Json = Record<string, unknown>;
const isRecord = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const describeOrder = (order: Json): string => {
  const id = String(order.orderId ?? order.id ?? 'your order');
  const details = [
    typeof order.status === 'string' ? order.status.toLowerCase() : undefined,
    typeof order.total === 'number' ? order.total.toFixed(2) : undefined,
    typeof order.createdAt === 'string' ? `placed ${order.createdAt.slice(0, 10)}` : undefined,
  ].filter(Boolean);
  return details.length ? `${id} (${details.join(', ')})` : id;
};

const phraseReturnPolicy = (body: string): string => {
  const data = parse(body);
  const days = isRecord(data) ? Number(data.returnPolicyDays) : Number.NaN;
  if (Number.isFinite(days)) {
    return `Our return policy allows returns within ${days} day${days === 1 ? '' : 's'} of delivery.`;
  }
  if (data === undefined && body.trim()) return `Here is our return policy: ${body.trim()}`;
  return FAILURE_ANSWER;
};

const phraseOrders = (body: string, call: FunctionCall): string => {
  const data = parse(body);
  const list = Array.isArray(data)
    ? data
    : isRecord(data) && Array.isArray(data.orders)
      ? data.orders
      : undefined;
  if (!list) return FAILURE_ANSWER;
  const orders = list.filter(isRecord);
  const status = call.parameters.status ? `${call.parameters.status.toLowerCase()} ` : '';
  if (orders.length === 0)
    return status ? `You have no ${status}orders.` : "I couldn't find any orders for you.";
  const shown = orders.slice(0, 10).map(describeOrder);
  const more = orders.length > shown.length ? `, and ${orders.length - shown.length} more` : '';
  const noun = orders.length === 1 ? 'order' : 'orders';
  return `You have ${orders.length} ${status}${noun}: ${shown.join(', ')}${more}.`;
};

const phraseOrder = (body: string, call: FunctionCall): string => {
  const data = parse(body);
  const requested = call.parameters.orderId ?? 'that order';
  if (isRecord(data) && (data.error === 'NOT_FOUND' || data.found === false)) {
    return `I couldn't find order ${requested}.`;
  }
  const order =
    isRecord(data) && isRecord(data.order) ? data.order : isRecord(data) && data.orderId ? data : undefined;
  if (!order) return FAILURE_ANSWER;
  const id = String(order.orderId ?? requested);
  const parts = [`Order ${id}`];
  parts.push(typeof order.status === 'string' ? `is ${order.status.toLowerCase()}` : 'was found');
  const details: string[] = [];
  if (typeof order.total === 'number') details.push(`its total is ${order.total.toFixed(2)}`);
  if (typeof order.createdAt === 'string') details.push(`it was placed on ${order.createdAt.slice(0, 10)}`);
  if (Array.isArray(order.items))
    details.push(`it has ${order.items.length} item${order.items.length === 1 ? '' : 's'}`);
  return `${parts.join(' ')}${details.length ? `; ${details.join(', ')}` : ''}.`;
};

/** Phrases the final answer from a function result (tolerant of the body's exact shape). */
export const phraseAnswer = (call: FunctionCall, result: FunctionResult): string => {
  if (result.state === 'FAILURE') return FAILURE_ANSWER;
  if (result.state === 'REPROMPT') return REPROMPT_ANSWER;
  switch (call.function) {
    case 'getReturnPolicy':
      return phraseReturnPolicy(result.body);
    case 'listOrders':
      return phraseOrders(result.body, call);
    case 'getOrder':
      return phraseOrder(result.body, call);
    default:
      return result.body.trim() || FAILURE_ANSWER;
  }
};

/** The default model of the Bedrock Agent Runtime stand-in. */
export const createIntentRouterModel = (): AgentModel => ({
  name: 'intent-router',
  async next(turn: AgentTurn): Promise<AgentDecision> {
    const last = turn.steps.at(-1);
    if (last) return { type: 'answer', text: phraseAnswer(last.call, last.result) };
    const intent = routeIntent(turn.inputText, turn.history);
    if (intent.function === 'none') return { type: 'answer', text: FALLBACK_ANSWER };
    const group = turn.actionGroups.find((g) => g.functions.some((f) => f.name === intent.function));
    if (!group) return { type: 'answer', text: FALLBACK_ANSWER };
    return {
      type: 'call',
      call: { actionGroup: group.name, function: intent.function, parameters: intent.parameters },
    };
  },
});
