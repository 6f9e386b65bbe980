/**
 * A model of the AssumeRole calls per second the agent-invoker makes (DESIGN §3: one AssumeRole per
 * (tenant, user) pair per container, cached until 5 minutes before expiry, never shared between
 * containers), against the account's AssumeRole quota.
 *
 * Each prompt lands on one of `containers` warm containers at random (EventBridge → Lambda has no
 * affinity). For one (pair, container) prompts arrive as a Poisson process of rate
 * λ = promptsPerUserHour / 3600 / containers; a miss fetches credentials that stay usable for
 * T = min(lifetime − refresh margin, container lifetime); so each (pair, container) costs one call per
 * renewal cycle of length T + 1/λ, i.e. λ / (1 + λT), and over N users and C containers:
 *
 *   AssumeRole/s = N · p / (1 + p·T / C)      with p = promptsPerUserHour / 3600
 *
 * A container's cache also holds at most `cacheEntries` pairs (LRU): with more distinct pairs per
 * container than that, every prompt of the pairs beyond it misses.
 */
export interface StsModelInput {
  users: number;
  promptsPerUserHour: number;
  /** Concurrent agent-invoker containers; default: prompt rate × answer seconds (Little's law). */
  containers?: number;
  /** Seconds one answer keeps a container busy (for the default container count). */
  answerSeconds?: number;
  /** Credential lifetime, s (role chaining from a Lambda role caps it at 3600). */
  credentialSeconds?: number;
  /** Refreshed this long before expiry, s (tenant-context: 300). */
  refreshMarginSeconds?: number;
  /** How long a container lives (Lambda recycles containers; the cache dies with it), s. */
  containerSeconds?: number;
  /** Pairs one container's cache holds (tenant-context: 1000). */
  cacheEntries?: number;
}

export interface StsModelResult {
  promptsPerSecond: number;
  containers: number;
  /** Credentials usable per fetch, s. */
  usableSeconds: number;
  assumeRolePerSecond: number;
  /** AssumeRole calls per prompt (1 = every prompt misses). */
  missRatio: number;
}

/** The account's AssumeRole quota (requests per second; not raisable). */
export const ASSUME_ROLE_QUOTA_PER_SECOND = 600;

export const modelAssumeRole = (input: StsModelInput): StsModelResult => {
  const p = input.promptsPerUserHour / 3600;
  const promptsPerSecond = input.users * p;
  const containers = Math.max(
    1,
    Math.ceil(input.containers ?? promptsPerSecond * (input.answerSeconds ?? 3)),
  );
  const usableSeconds = Math.min(
    (input.credentialSeconds ?? 3600) - (input.refreshMarginSeconds ?? 300),
    input.containerSeconds ?? Number.POSITIVE_INFINITY,
  );
  const perPairContainer = p / containers / (1 + (p / containers) * usableSeconds);
  // Pairs a container sees within one usable period beyond its cache size miss on every prompt.
  const pairsPerContainer = Math.min(
    input.users,
    input.users * (1 - Math.exp(-(p / containers) * usableSeconds)),
  );
  const cached = Math.min(1, (input.cacheEntries ?? 1000) / Math.max(1, pairsPerContainer));
  const assumeRolePerSecond =
    cached * input.users * containers * perPairContainer + (1 - cached) * promptsPerSecond;
  return {
    promptsPerSecond,
    containers,
    usableSeconds,
    assumeRolePerSecond,
    missRatio: promptsPerSecond === 0 ? 0 : assumeRolePerSecond / promptsPerSecond,
  };
};
