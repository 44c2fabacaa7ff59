import { Cart, CartSnapshot } from './cart';

/** The port persistence implements: how carts are read and changed atomically. */
export interface CartRepository {
  /** The customer's cart, or undefined when they have none. */
  find(customerId: string): Promise<CartSnapshot | undefined>;

  /**
   * Runs `mutate` on the customer's cart while holding it locked against every
   * other writer, then stores what it changed and bumps the version, all in one
   * transaction. When `mutate` throws, nothing is written. A cart that does not
   * exist yet is passed in empty and is created only if `mutate` changes it.
   */
  update(customerId: string, mutate: (cart: Cart) => void): Promise<CartSnapshot>;

  /**
   * `update` for two carts at once: both locked (in an order that does not
   * depend on which is which, so crossing calls never deadlock), both changes
   * written in one transaction, each changed cart's version moved by one.
   * With `moveOrders`, the source's orders move to the target in the same
   * transaction (each order's version +1, with `order.reassigned`).
   */
  updateBoth<T>(
    targetId: string,
    sourceId: string,
    mutate: (target: Cart, source: Cart) => T,
    options?: { readonly moveOrders?: boolean },
  ): Promise<{ result: T; target: CartSnapshot; source: CartSnapshot }>;
}
