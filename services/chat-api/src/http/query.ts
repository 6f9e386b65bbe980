import { issuesOf } from '@tenant-assistant/lambda-kit/errors';
import type * as z from 'zod';
import { BadRequestError } from '../errors';

/**
 * Validates a query string (absent: empty) against `schema`: 400 `VALIDATION_FAILED` with one
 * detail per problem (the values are never echoed) when it does not satisfy it.
 *
 * @example const query = parseQuery(listAnswersQuerySchema, event.queryStringParameters);
 */
export const parseQuery = <S extends z.ZodType>(schema: S, query: unknown): z.output<S> => {
  const result = schema.safeParse(query ?? {});
  if (!result.success) {
    throw new BadRequestError('The query is invalid', { details: issuesOf(result.error) });
  }
  return result.data;
};
