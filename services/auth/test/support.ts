import { createLogger } from '@tenant-assistant/tenant-context/logger';

/** A logger that writes nothing (tests that inspect logs use captureOutput with the real one). */
export const silentLogger = () => createLogger({ serviceName: 'auth-test', logLevel: 'SILENT' });

/** An AWS SDK service exception as the SDK throws it (name, message, $fault, $metadata). */
export const awsError = (name: string, message = name): Error =>
  Object.assign(new Error(message), { name, $fault: 'client', $metadata: { httpStatusCode: 400 } });
