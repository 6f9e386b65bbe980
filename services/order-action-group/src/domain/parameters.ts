import { ORDER_STATUSES } from '@tenant-assistant/contracts/orders';
import { issuesOf } from '@tenant-assistant/lambda-kit/errors';
import * as z from 'zod';
import { InvalidParameterError } from '../errors';

export { ORDER_STATUSES, type OrderStatus } from '@tenant-assistant/contracts/orders';

/** Order ids: letters, digits and `_ . : -`, 1–100 characters, starting with a letter or digit. */
export const ORDER_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}$/;

const blankToUndefined = (value: unknown) =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

/**
 * Parameters the model passes are untrusted: each function's schema keeps only its own parameters
 * (anything else, such as a `tenantId` or `userId` the model made up, is dropped) and validates them.
 */
export const parameterSchemas = {
  getReturnPolicy: z.object({}),
  listOrders: z.object({
    /** Case-insensitive; blank means "any status". */
    status: z.preprocess(
      blankToUndefined,
      z
        .string()
        .trim()
        .toUpperCase()
        .pipe(z.enum(ORDER_STATUSES, { error: `must be one of ${ORDER_STATUSES.join(', ')}` }))
        .optional(),
    ),
  }),
  getOrder: z.object({
    orderId: z
      .string({ error: 'is required' })
      .trim()
      .regex(ORDER_ID_PATTERN, 'must be 1-100 letters, digits or _ . : - starting with a letter or digit'),
  }),
} as const;

export type ListOrdersParams = z.output<typeof parameterSchemas.listOrders>;
export type GetOrderParams = z.output<typeof parameterSchemas.getOrder>;

/**
 * Validates the model's parameters against `schema`; throws InvalidParameterError naming the
 * parameters and rules broken (never echoing the values).
 * @example parseParameters(parameterSchemas.getOrder, { orderId: 'o-1001' }) // { orderId: 'o-1001' }
 */
export const parseParameters = <S extends z.ZodType>(schema: S, params: unknown): z.output<S> => {
  const result = schema.safeParse(params ?? {});
  if (!result.success) {
    throw new InvalidParameterError(
      issuesOf(result.error, { root: '(parameters)', separator: ' ' }),
      result.error,
    );
  }
  return result.data;
};
