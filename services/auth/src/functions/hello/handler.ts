import middy from '@middy/core';
import { Logger } from '@aws-lambda-powertools/logger';
const logger = new Logger();
export const handler = middy(async (e: unknown) => { logger.info('hi'); return { ok: e }; });
