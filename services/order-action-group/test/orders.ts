/** What getOrder answers for the stored o-1001: the order and its items, never its owner. */
export const ORDER_VIEW = {
  orderId: 'o-1001',
  status: 'SHIPPED',
  total: 42.5,
  createdAt: '2025-01-02T10:00:00.000Z',
  items: [{ sku: 'tent-2p', quantity: 1 }],
};

/** An order of `userId` as the tenant's orders table stores it: shipped, one tent. */
export const storedOrder = (userId: string, orderId = 'o-1001', overrides: Record<string, unknown> = {}) => ({
  userId,
  ...ORDER_VIEW,
  orderId,
  ...overrides,
});
