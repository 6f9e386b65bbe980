import { createLogger } from '@tenant-assistant/tenant-context/logger';

/** The service's Powertools logger: always redacted (tokens, credentials), tenant keys added per invocation. */
export const logger = createLogger({ serviceName: 'chat-api' });
