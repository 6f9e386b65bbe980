import { createLogger } from '@tenant-assistant/tenant-context/logger';

/** The service's logger: Powertools JSON logs, every value passed through tenant-context's redaction. */
export const logger = createLogger({ serviceName: 'order-action-group' });
