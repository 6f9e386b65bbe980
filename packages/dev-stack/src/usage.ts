import type {
  TenantMetricsView,
  TenantsUsagePage,
  TenantUsageView,
  UsageTotals,
} from '@tenant-assistant/contracts/http';

/** Usage reports of chat-api's usage API as text (`scripts/usage`). */

const BAR_WIDTH = 40;
const number = (value: number) => value.toLocaleString('en-US');
const tokens = (totals: UsageTotals) =>
  `${number(totals.totalTokens)} tokens (${number(totals.inputTokens)} in, ${number(totals.outputTokens)} out), ${number(totals.prompts)} prompts`;

/** A tenant's month as text: totals, budget, today, a bar per day, each user. */
export const formatTenantUsage = (view: TenantUsageView): string => {
  const widest = Math.max(1, ...view.days.map((day) => day.totalTokens));
  const lines = [
    `${view.tenantId} (${view.tier}, ${view.status}) — ${view.month}`,
    `  month: ${tokens(view.totals)}`,
    `  budget: ${number(view.monthlyTokenBudget)} tokens, ${(view.budgetUsed * 100).toFixed(1)}% used`,
    ...(view.today ? [`  today (${view.today.day}): ${tokens(view.today)}`] : []),
    '  per day:',
    ...view.days.map(
      (day) =>
        `    ${day.day} ${'#'.repeat(Math.round((day.totalTokens / widest) * BAR_WIDTH)).padEnd(BAR_WIDTH)} ${number(day.totalTokens)} tokens, ${day.prompts} prompts`,
    ),
    `  per user${view.users.length === 0 ? ': none' : ':'}`,
    ...view.users.map((user) => `    ${user.userId}  ${tokens(user)}`),
  ];
  return lines.join('\n');
};

/** Every tenant's month as text, one line each. */
export const formatTenantsUsage = (page: TenantsUsagePage): string =>
  [
    `every tenant — ${page.month}`,
    ...page.tenants.map(
      (tenant) =>
        `  ${tenant.tenantId.padEnd(24)} ${tenant.tier.padEnd(10)} ${tokens(tenant.totals)}, ${(tenant.budgetUsed * 100).toFixed(1)}% of budget`,
    ),
    ...(page.nextCursor ? [`  more: --cursor ${page.nextCursor}`] : []),
  ].join('\n');

/** The counts a tenant's activity shows, in order, with their labels. */
const ACTIVITY: readonly (readonly [string, string])[] = [
  ['PromptAccepted', 'prompts accepted'],
  ['PromptThrottled', 'prompts throttled (429)'],
  ['AnswerCompleted', 'answers completed'],
  ['AnswerFailed', 'answers failed'],
  ['InputTokens', 'input tokens'],
  ['OutputTokens', 'output tokens'],
];

/** A tenant's activity from the local system's collected metric lines, as text. */
export const formatTenantMetrics = (view: TenantMetricsView): string => {
  const latency = view.timings.AnswerLatency;
  const others = Object.keys(view.totals)
    .filter((name) => !ACTIVITY.some(([known]) => known === name))
    .sort();
  return [
    `${view.tenantId} — activity (local metrics${view.from ? ` since ${new Date(view.from).toISOString()}` : ''})`,
    ...ACTIVITY.map(([name, label]) => `  ${label.padEnd(26)} ${number(view.totals[name] ?? 0)}`),
    `  ${'answer latency'.padEnd(26)} ${latency ? `p50 ${number(latency.p50)} ms, p95 ${number(latency.p95)} ms (${latency.count} answers)` : 'no answers yet'}`,
    ...(others.length > 0
      ? [`  other: ${others.map((name) => `${name} ${number(view.totals[name] ?? 0)}`).join(', ')}`]
      : []),
  ].join('\n');
};
