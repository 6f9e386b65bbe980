import type { Logger } from '@aws-lambda-powertools/logger';
import { isTenantId } from '@tenant-assistant/tenant-context';
import { documents } from '../../adapters/clients';
import { dynamoTenantRegistry, type TenantRegistry } from '../../adapters/tenants-table';
import { once, tenantsTableNameFromEnv } from '../../config';
import {
  addTenantClaims,
  assertTenantMaySignIn,
  type PreTokenGenerationEvent,
  TENANT_CLAIM,
} from '../../domain/claims';
import { logger } from '../../logger';
import { observedFunction } from '../observed';

export interface Deps {
  registry: () => Pick<TenantRegistry, 'get'>;
  logger: Logger;
}

/**
 * Cognito pre-token-generation trigger: adds `tenantId` (and `tenantRole`) to the ID and access
 * tokens, or refuses the sign-in — with a clear message — of a user without a valid tenant or
 * whose tenant is suspended or gone.
 */
export const makeHandler = (deps: Deps) => async (event: PreTokenGenerationEvent) => {
  const result = addTenantClaims(event);
  const claims =
    result.response?.claimsAndScopeOverrideDetails?.idTokenGeneration?.claimsToAddOrOverride ??
    result.response?.claimsOverrideDetails?.claimsToAddOrOverride;
  await assertTenantMaySignIn(deps.registry(), claims?.[TENANT_CLAIM] ?? '');
  deps.logger.info('Tenant claims added', {
    tenant_id: event.request?.userAttributes?.['custom:tenantId'],
    trigger_source: event.triggerSource,
    event_version: event.version,
  });
  return result;
};

const registry = once(() => dynamoTenantRegistry(documents, tenantsTableNameFromEnv()));

export const handler = observedFunction(makeHandler({ registry, logger }), {
  operation: 'preTokenGeneration',
  metric: 'SignIn',
  // Refused sign-ins by tenant and reason (NO_TENANT, TENANT_SUSPENDED).
  dimensions: (event, error) => {
    const tenantId = event.request?.userAttributes?.['custom:tenantId'];
    return {
      tenant: isTenantId(tenantId) ? tenantId : undefined,
      reason: (error as { code?: string } | undefined)?.code,
    };
  },
});
