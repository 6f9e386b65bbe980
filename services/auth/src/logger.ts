import { createLogger } from '@tenant-assistant/tenant-context/logger';

/** The service's logger: Powertools JSON logs, every secret redacted (passwords, tokens, credentials). */
export const logger = createLogger({ serviceName: 'auth' });
