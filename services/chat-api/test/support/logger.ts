import { createLogger } from '@tenant-assistant/tenant-context/logger';

/** A logger that writes (tests capture its output with captureOutput); the default one is silent in tests. */
export const audibleLogger = () => createLogger({ serviceName: 'chat-api', logLevel: 'INFO' });
