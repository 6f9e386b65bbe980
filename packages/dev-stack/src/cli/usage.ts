/**
 * usage [--month YYYY-MM] [--tenant T | --all] [--metrics] [--json] — a tenant's token usage from
 * chat-api's usage API: the month against the tier's budget, today, a bar per day and each user;
 * against the local system also the tenant's activity from the metric lines its functions printed
 * (prompts accepted/throttled, answers completed/failed, latency; `--metrics`: only that). As a tenant
 * admin (the tenant of the token) or a platform admin (`--tenant`, `--all`), against the running
 * local system (--as) or a deployed stage (--url <chat-api HttpApiUrl> --token <ID token>).
 */
import { parseArgs } from 'node:util';
import { ChatApiError, getLocalMetrics, getUsage, listTenantsUsage } from '../client';
import { readStackInfo } from '../state';
import { formatTenantMetrics, formatTenantsUsage, formatTenantUsage } from '../usage';
import { adminCaller } from './admin-cli';

const USAGE = `Usage: usage [--month YYYY-MM] [--tenant <tenantId> | --all] [--metrics] [--json]
Caller: --as <username> [--password P]                      (the running local system)
        --url <chat-api HttpApiUrl> --token <ID token>       (a deployed stage; or TA_CHAT_API_URL / TA_ADMIN_TOKEN)`;

const caller = async (values: Record<string, string | boolean | undefined>) => {
  const url = (values.url as string | undefined) ?? process.env.TA_CHAT_API_URL;
  const token = (values.token as string | undefined) ?? process.env.TA_ADMIN_TOKEN;
  if (url && token) return { stack: { chatApiUrl: url.replace(/\/+$/, '') }, session: { idToken: token } };
  const { session } = await adminCaller({ ...values, url: undefined, token: undefined });
  return { stack: readStackInfo(), session };
};

const main = async () => {
  const { values } = parseArgs({
    options: {
      as: { type: 'string' },
      password: { type: 'string' },
      url: { type: 'string' },
      token: { type: 'string' },
      month: { type: 'string' },
      tenant: { type: 'string' },
      all: { type: 'boolean' },
      cursor: { type: 'string' },
      json: { type: 'boolean' },
      metrics: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (values.help || (values.all && (values.tenant || values.metrics))) {
    console.error(USAGE);
    process.exit(2);
  }
  try {
    const { stack, session } = await caller(values);
    const month = values.month;
    if (values.all) {
      const page = await listTenantsUsage(stack, session, {
        ...(month ? { month } : {}),
        ...(values.cursor ? { cursor: values.cursor } : {}),
      });
      console.log(values.json ? JSON.stringify(page, null, 2) : formatTenantsUsage(page));
      return;
    }
    const metricsUrl = 'metricsUrl' in stack ? stack.metricsUrl : undefined;
    if (values.metrics && !metricsUrl)
      throw new Error('--metrics reads the running local system only (--as)');
    const metrics = metricsUrl ? await getLocalMetrics({ metricsUrl }, session, values.tenant) : undefined;
    if (values.metrics && metrics) {
      console.log(values.json ? JSON.stringify(metrics, null, 2) : formatTenantMetrics(metrics));
      return;
    }
    const view = await getUsage(stack, session, {
      ...(values.tenant ? { tenantId: values.tenant } : {}),
      ...(month ? { month } : {}),
    });
    console.log(values.json ? JSON.stringify(view, null, 2) : formatTenantUsage(view));
    if (metrics && !values.json) console.log(formatTenantMetrics(metrics));
  } catch (error) {
    console.error(error instanceof ChatApiError || error instanceof Error ? error.message : String(error));
    if (!(error instanceof ChatApiError)) console.error(USAGE);
    process.exit(1);
  }
};

await main();
