/**
 * Orders as the per-tenant orders tables hold them (partition `userId`, sort `orderId`): written by
 * the tools that seed and manage orders, read by the action group. Browser-safe.
 */

/** Order statuses, as stored and as answered. */
export const ORDER_STATUSES = ['PENDING', 'SHIPPED', 'DELIVERED', 'CANCELLED'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** One item of an order. */
export interface OrderItem {
  name: string;
  quantity: number;
}

/** An order item in a tenant's orders table. */
export interface Order {
  userId: string;
  orderId: string;
  status: OrderStatus;
  /** Always a number. */
  total: number;
  createdAt: string;
  items: OrderItem[];
}
