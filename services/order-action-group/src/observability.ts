import { createMetrics } from '@tenant-assistant/lambda-kit/metrics';
import { tracerFor } from '@tenant-assistant/lambda-kit/tracing';

/** The service's X-Ray tracer (Powertools; a no-op outside Lambda): every handler's first middleware. */
export const tracer = tracerFor('order-action-group');

/** The service's metrics (embedded metric format, namespace `TenantAssistant`, dimension `service`). */
export const metrics = createMetrics('order-action-group');
