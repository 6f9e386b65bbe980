import { issuesOf } from '@tenant-assistant/lambda-kit/errors';
import type * as z from 'zod';
import { InvalidInputError } from '../errors';

/**
 * Parses `input` with `schema`; on failure throws InvalidInputError naming every problem
 * (`path: message`), never the offending values.
 * @example const input = parseInput('onboardTenant', onboardTenantInput, event);
 */
export const parseInput = <S extends z.ZodType>(
  operation: string,
  schema: S,
  input: unknown,
): z.output<S> => {
  const result = schema.safeParse(input);
  if (!result.success) {
    throw new InvalidInputError(operation, issuesOf(result.error, { root: '(input)' }), result.error);
  }
  return result.data;
};
