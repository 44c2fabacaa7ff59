import { Cart } from '@carthub/domain';

export const allowed = Cart;
