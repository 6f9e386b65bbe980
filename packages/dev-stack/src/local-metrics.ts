import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import type { TenantMetricsView, TimingSummary } from '@tenant-assistant/contracts/http';
import { isTenantId } from '@tenant-assistant/tenant-context';
import {
  type AdminCaller,
  cognitoGroupsOf,
  type GroupsOf,
  httpAdminContext,
  requirePlatformAdmin,
  requireTenantAdmin,
  type WithAdminCaller,
} from '@tenant-assistant/tenant-context/admin';
import { type TokenVerifier, tokenVerifierFromEnv } from '@tenant-assistant/tenant-context/tokens';
import type { StackInfo } from './state';

/**
 * LOCAL STAND-IN for CloudWatch metrics: the local system reads the embedded-metric-format lines
 * the functions print (Powertools Metrics, `_aws.CloudWatchMetrics`), keeps them in the data folder
 * (`metrics.jsonl`, one record a line) and serves each tenant's totals on loopback to the usage
 * page and `scripts/usage`, with the usage API's admin rule.
 */

/** One metric line as collected: its time, service, dimension values and metric values. */
export interface MetricRecord {
  at: number;
  service: string;
  dimensions: Record<string, string>;
  values: Record<string, number>;
  units: Record<string, string>;
}

export type { TenantMetricsView, TimingSummary };

interface EmfDirective {
  Namespace?: string;
  Dimensions?: string[][];
  Metrics?: { Name: string; Unit?: string }[];
}

/** The record of one output line when it is an embedded-metric-format line, else undefined. */
export const metricRecordOf = (line: string): MetricRecord | undefined => {
  const start = line.indexOf('{"_aws"');
  if (start < 0) return undefined;
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(line.slice(start)) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const aws = parsed._aws as { Timestamp?: number; CloudWatchMetrics?: EmfDirective[] } | undefined;
  const directive = aws?.CloudWatchMetrics?.[0];
  if (!directive?.Metrics || typeof aws?.Timestamp !== 'number') return undefined;
  const dimensions: Record<string, string> = {};
  for (const name of directive.Dimensions?.[0] ?? []) {
    const value = parsed[name];
    if (typeof value === 'string') dimensions[name] = value;
  }
  const values: Record<string, number> = {};
  const units: Record<string, string> = {};
  for (const metric of directive.Metrics) {
    const value = parsed[metric.Name];
    if (typeof value !== 'number') continue;
    values[metric.Name] = value;
    units[metric.Name] = metric.Unit ?? 'None';
  }
  return { at: aws.Timestamp, service: dimensions.service ?? '', dimensions, values, units };
};

const percentile = (sorted: readonly number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;

/**
 * One tenant's view of the records: every line with that `tenant` dimension (each event writes
 * exactly one such line; the service-wide and per-reason lines carry no tenant and are not counted).
 */
export const tenantMetrics = (records: readonly MetricRecord[], tenantId: string): TenantMetricsView => {
  const own = records.filter((record) => record.dimensions.tenant === tenantId);
  const totals: Record<string, number> = {};
  const samples: Record<string, number[]> = {};
  for (const record of own) {
    for (const [name, value] of Object.entries(record.values)) {
      if (record.units[name] === 'Milliseconds') samples[name] = [...(samples[name] ?? []), value];
      else totals[name] = (totals[name] ?? 0) + value;
    }
  }
  const timings = Object.fromEntries(
    Object.entries(samples).map(([name, values]) => {
      const sorted = [...values].sort((a, b) => a - b);
      return [
        name,
        {
          count: sorted.length,
          p50: percentile(sorted, 50),
          p95: percentile(sorted, 95),
          max: sorted.at(-1) ?? 0,
        },
      ];
    }),
  );
  return {
    tenantId,
    totals,
    timings,
    ...(own.length > 0 ? { from: own[0]?.at, to: own.at(-1)?.at } : {}),
  };
};

/** The metric lines of a running local system: collected from the functions' output, kept on disk. */
export interface MetricsCollector {
  /** Takes one output line of a service; keeps it when it is a metric line. */
  collect(line: string): void;
  records(): readonly MetricRecord[];
  readonly file: string;
}

/** A collector writing `metrics.jsonl` in the data folder (records of earlier runs are read back). */
export const createMetricsCollector = (dataDir: string): MetricsCollector => {
  const file = join(dataDir, 'metrics.jsonl');
  const kept: MetricRecord[] = existsSync(file)
    ? readFileSync(file, 'utf8')
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line) as MetricRecord)
    : [];
  return {
    file,
    collect(line) {
      const record = metricRecordOf(line);
      if (!record) return;
      kept.push(record);
      appendFileSync(file, `${JSON.stringify(record)}\n`);
    },
    records: () => kept,
  };
};

/** Status and `{"error":{code,message}}` of a refusal (tenant-context's errors carry both). */
const errorBody = (error: unknown) => {
  const { statusCode, code, message, expose } = error as {
    statusCode?: number;
    code?: string;
    message?: string;
    expose?: boolean;
  };
  const status = typeof statusCode === 'number' && statusCode < 500 && expose !== false ? statusCode : 500;
  return {
    status,
    body: {
      error:
        status === 500
          ? { code: 'INTERNAL_ERROR', message: 'Internal server error' }
          : { code: code ?? 'REFUSED', message: message ?? 'Refused' },
    },
  };
};

export interface MetricsServerOptions {
  port: number;
  collector: Pick<MetricsCollector, 'records'>;
  verifier: TokenVerifier;
  groupsOf: GroupsOf;
  /** The browser origin allowed by CORS (the local web app). */
  webOrigin: string;
}

/**
 * Serves the collected metrics on 127.0.0.1 with the usage API's rule (tenant-context's
 * `httpAdminContext`, `requireTenantAdmin`, `requirePlatformAdmin`):
 * - `GET /metrics` → the caller's own tenant (its tenant admins, and platform admins);
 * - `GET /metrics/tenants/{tenantId}` → any tenant: platform admins only.
 */
export const serveMetrics = async (options: MetricsServerOptions) => {
  const adminContext = httpAdminContext({ verifier: options.verifier, groupsOf: () => options.groupsOf });
  const callerOf = async (headers: Record<string, string | undefined>): Promise<AdminCaller> => {
    const event = { headers } as WithAdminCaller<{ headers: Record<string, string | undefined> }>;
    await adminContext.before?.({ event } as never);
    return event.caller;
  };
  const cors = {
    'access-control-allow-origin': options.webOrigin,
    'access-control-allow-headers': 'authorization',
    'access-control-allow-methods': 'GET, OPTIONS',
    vary: 'origin',
  };
  const server = createServer(async (req, res) => {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { ...cors, 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify(body));
    };
    if (req.method === 'OPTIONS') {
      res.writeHead(204, cors);
      res.end();
      return;
    }
    const path = new URL(req.url ?? '/', 'http://local').pathname;
    const tenantPath = /^\/metrics\/tenants\/([^/]+)$/.exec(path);
    if (req.method !== 'GET' || (path !== '/metrics' && !tenantPath)) {
      send(404, { error: { code: 'NOT_FOUND', message: 'Not found' } });
      return;
    }
    try {
      const caller = await callerOf(req.headers as Record<string, string | undefined>);
      let tenantId: string;
      if (tenantPath) {
        requirePlatformAdmin(caller);
        tenantId = decodeURIComponent(tenantPath[1] ?? '');
        if (!isTenantId(tenantId)) {
          send(400, { error: { code: 'INVALID_INPUT', message: 'tenantId: is not a tenant id' } });
          return;
        }
      } else {
        if (!caller.roles.platformAdmin) requireTenantAdmin(caller);
        tenantId = caller.tenant.tenantId;
      }
      send(200, tenantMetrics(options.collector.records(), tenantId));
    } catch (error) {
      const { status, body } = errorBody(error);
      send(status, body);
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  return {
    name: 'metrics',
    url: `http://127.0.0.1:${options.port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};

/** The metrics server of the local system: the web client's tokens, the pool's groups (admin key). */
export const startLocalMetrics = (
  info: Pick<
    StackInfo,
    'region' | 'userPoolId' | 'webClientId' | 'cognitoIssuer' | 'cognitoUrl' | 'webUrl' | 'adminCredentials'
  >,
  port: number,
  collector: MetricsCollector,
) =>
  serveMetrics({
    port,
    collector,
    verifier: tokenVerifierFromEnv({
      COGNITO_USER_POOL_ID: info.userPoolId,
      COGNITO_CLIENT_IDS: info.webClientId,
      COGNITO_ISSUER: info.cognitoIssuer,
    }),
    groupsOf: cognitoGroupsOf(
      new CognitoIdentityProviderClient({
        region: info.region,
        endpoint: info.cognitoUrl,
        credentials: info.adminCredentials,
      }),
      info.userPoolId,
    ),
    webOrigin: info.webUrl,
  });
