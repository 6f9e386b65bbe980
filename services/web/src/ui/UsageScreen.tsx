import type { TenantMetricsView, TenantUsageView } from '@tenant-assistant/contracts/http';
import { useEffect, useId, useState } from 'react';
import type { ApiClient } from '../chat/api-client';
import { userMessageOf } from '../errors';
import { CHART, chartBars, formatShare, formatTokens, shiftMonth } from '../usage/usage-chart';
import { ScreenHead } from './ScreenHead';
import { Table } from './Table';

type Load =
  | { kind: 'loading' }
  | { kind: 'shown'; view: TenantUsageView }
  | { kind: 'failed'; message: string };

type MetricsLoad =
  | { kind: 'none' }
  | { kind: 'shown'; view: TenantMetricsView }
  | { kind: 'failed'; message: string };

/**
 * The tenant's usage for its admins (chat-api's `GET /usage`): the month against the tier's token
 * budget, today, a bar per day of tokens (prompts in each bar's title) and each user. Anyone else is
 * told it is for administrators (the API refuses them; nothing is hidden only in the browser).
 * Locally it also shows the tenant's activity from the metric lines the functions printed (the
 * local system's metrics server, same admin rule); deployed, those metrics are in CloudWatch.
 */
export const UsageScreen = ({ api, onClose }: { api: ApiClient; onClose: () => void }) => {
  const [month, setMonth] = useState<string>();
  const [load, setLoad] = useState<Load>({ kind: 'loading' });
  const chartTitleId = useId();
  const [metrics, setMetrics] = useState<MetricsLoad>({ kind: 'none' });

  useEffect(() => {
    let current = true;
    api
      .getMetrics()
      .then((view) => current && setMetrics(view ? { kind: 'shown', view } : { kind: 'none' }))
      .catch((error: unknown) => current && setMetrics({ kind: 'failed', message: userMessageOf(error) }));
    return () => {
      current = false;
    };
  }, [api]);

  useEffect(() => {
    let current = true;
    setLoad({ kind: 'loading' });
    api
      .getUsage(month)
      .then((view) => current && setLoad({ kind: 'shown', view }))
      .catch((error: unknown) => current && setLoad({ kind: 'failed', message: userMessageOf(error) }));
    return () => {
      current = false;
    };
  }, [api, month]);

  const shownMonth = load.kind === 'shown' ? load.view.month : month;
  return (
    <main className="usage">
      <ScreenHead
        heading={`Usage${shownMonth ? ` · ${shownMonth}` : ''}`}
        pageTitle="Usage · Tenant Assistant"
        navLabel="Month"
        onClose={onClose}
      >
        <button
          type="button"
          disabled={!shownMonth}
          onClick={() => shownMonth && setMonth(shiftMonth(shownMonth, -1))}
        >
          Previous month
        </button>
        <button
          type="button"
          disabled={!shownMonth}
          onClick={() => shownMonth && setMonth(shiftMonth(shownMonth, 1))}
        >
          Next month
        </button>
      </ScreenHead>
      {load.kind === 'loading' && <p role="status">Loading usage…</p>}
      {load.kind === 'failed' && (
        <p className="error" role="alert">
          {load.message}
        </p>
      )}
      {load.kind === 'shown' && <UsageView view={load.view} chartTitleId={chartTitleId} />}
      {metrics.kind === 'shown' && <MetricsView view={metrics.view} />}
      {metrics.kind === 'failed' && <p className="error">Activity unavailable: {metrics.message}</p>}
    </main>
  );
};

const UsageView = ({ view, chartTitleId }: { view: TenantUsageView; chartTitleId: string }) => {
  const bars = chartBars(view.days);
  return (
    <>
      <dl className="usage-totals" data-testid="usage-totals">
        <div>
          <dt>This month</dt>
          <dd>
            {formatTokens(view.totals.totalTokens)} tokens · {view.totals.prompts} prompts
          </dd>
        </div>
        <div>
          <dt>Budget ({view.tier})</dt>
          <dd>
            <meter
              min={0}
              max={1}
              value={Math.min(1, view.budgetUsed)}
              aria-label="Share of the monthly budget used"
            />{' '}
            {formatShare(view.budgetUsed)} of {formatTokens(view.monthlyTokenBudget)} tokens
          </dd>
        </div>
        {view.today && (
          <div>
            <dt>Today</dt>
            <dd>
              {formatTokens(view.today.totalTokens)} tokens · {view.today.prompts} prompts
            </dd>
          </div>
        )}
      </dl>

      <h2 id={chartTitleId}>Tokens per day</h2>
      <svg
        className="usage-chart"
        viewBox={`0 0 ${CHART.width} ${CHART.height}`}
        role="img"
        aria-labelledby={chartTitleId}
        data-testid="usage-chart"
      >
        <title>{`Tokens per day of ${view.month}`}</title>
        {bars.map((bar) => (
          <rect key={bar.day} data-day={bar.day} x={bar.x} y={bar.y} width={bar.width} height={bar.height}>
            <title>{`${bar.day}: ${bar.totalTokens.toLocaleString('en-US')} tokens, ${bar.prompts} prompts`}</title>
          </rect>
        ))}
      </svg>
      {bars.length === 0 && <p className="empty">This month has not begun.</p>}

      <h2>Per user</h2>
      {view.users.length === 0 ? (
        <p className="empty">Nobody has used the assistant this month.</p>
      ) : (
        <Table className="usage-users" columns={['User', 'Tokens', 'Prompts']}>
          {view.users.map((user) => (
            <tr key={user.userId}>
              <td>{user.userId}</td>
              <td>{formatTokens(user.totalTokens)}</td>
              <td>{user.prompts}</td>
            </tr>
          ))}
        </Table>
      )}
    </>
  );
};

/** The counts and timings the activity section shows, in order, with their labels. */
const ACTIVITY: readonly (readonly [string, string])[] = [
  ['PromptAccepted', 'Prompts accepted'],
  ['PromptThrottled', 'Prompts throttled (429)'],
  ['AnswerCompleted', 'Answers completed'],
  ['AnswerFailed', 'Answers failed'],
  ['InputTokens', 'Input tokens'],
  ['OutputTokens', 'Output tokens'],
];

const MetricsView = ({ view }: { view: TenantMetricsView }) => {
  const latency = view.timings.AnswerLatency;
  return (
    <>
      <h2>Activity (local metrics)</h2>
      <dl className="usage-totals" data-testid="usage-metrics">
        {ACTIVITY.map(([name, label]) => (
          <div key={name}>
            <dt>{label}</dt>
            <dd>{formatTokens(view.totals[name] ?? 0)}</dd>
          </div>
        ))}
        <div>
          <dt>Answer latency</dt>
          <dd>
            {latency
              ? `p50 ${latency.p50.toLocaleString('en-US')} ms · p95 ${latency.p95.toLocaleString('en-US')} ms (${latency.count} answers)`
              : 'no answers yet'}
          </dd>
        </div>
      </dl>
    </>
  );
};
