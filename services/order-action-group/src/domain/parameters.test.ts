import fc from 'fast-check';
import { InvalidParameterError } from '../errors';
import { ORDER_STATUSES, parameterSchemas, parseParameters } from './parameters';

describe('parseParameters', () => {
  it('accepts a status in any case and answers it in upper case', () => {
    // Act
    const params = parseParameters(parameterSchemas.listOrders, { status: ' shipped ' });

    // Assess
    expect(params).toEqual({ status: 'SHIPPED' });
  });

  it('treats a missing or blank status as any status', () => {
    // Act
    const missing = parseParameters(parameterSchemas.listOrders, {});
    const blank = parseParameters(parameterSchemas.listOrders, { status: '  ' });

    // Assess
    expect(missing.status).toBeUndefined();
    expect(blank.status).toBeUndefined();
  });

  it('refuses an unknown status, naming the parameter but not echoing the value', () => {
    // Act
    const parse = () => parseParameters(parameterSchemas.listOrders, { status: 'LOST<script>' });

    // Assess
    expect(parse).toThrow(InvalidParameterError);
    expect(parse).toThrow(/status must be one of PENDING, SHIPPED, DELIVERED, CANCELLED/);
    expect(parse).not.toThrow(/script/);
  });

  it('drops parameters a function does not declare, such as a tenant or user the model made up', () => {
    // Act
    const params = parseParameters(parameterSchemas.getOrder, {
      orderId: 'o-1001',
      tenantId: 'tenant2',
      userId: '9b8a7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
    });

    // Assess
    expect(params).toEqual({ orderId: 'o-1001' });
  });

  it.each([
    ['missing', {}],
    ['empty', { orderId: '' }],
    ['a wildcard', { orderId: '*' }],
    ['too long', { orderId: 'o'.repeat(101) }],
    ['not a string', { orderId: 1001 }],
  ])('refuses an orderId that is %s', (_case, raw) => {
    // Act
    const parse = () => parseParameters(parameterSchemas.getOrder, raw);

    // Assess
    expect(parse).toThrow(InvalidParameterError);
    expect(parse).toThrow(/^Invalid parameters: orderId /);
  });

  it('accepts a status exactly when it is one of the four statuses, in any case and spacing', () => {
    // Prepare
    const statuses = fc.oneof(
      fc.string(),
      fc
        .tuple(fc.mixedCase(fc.constantFrom(...ORDER_STATUSES)), fc.constantFrom('', ' ', '\t'))
        .map(([status, space]) => `${space}${status}${space}`),
    );

    // Assess
    fc.assert(
      fc.property(statuses, (status) => {
        const normalized = status.trim().toUpperCase();
        const parse = () => parseParameters(parameterSchemas.listOrders, { status }).status;
        if (normalized === '') expect(parse()).toBeUndefined();
        else if ((ORDER_STATUSES as readonly string[]).includes(normalized)) expect(parse()).toBe(normalized);
        else expect(parse).toThrow(InvalidParameterError);
      }),
    );
  });
});
