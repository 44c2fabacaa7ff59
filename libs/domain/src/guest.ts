/** Guest shoppers' ids start with this; no customer token may ever act for one. */
export const GUEST_ID_PREFIX = 'guest_';

export function isGuestId(customerId: string): boolean {
  return customerId.startsWith(GUEST_ID_PREFIX);
}
