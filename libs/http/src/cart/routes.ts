import Router from '@koa/router';
import { Context, Middleware } from 'koa';
import { CartService, CartSnapshot } from '@carthub/domain';
import { validate } from '../validation';
import { clientHasVersion, expectedVersion, versionTag } from './preconditions';
import { mutationResult, cartRepresentation } from './representation';
import { AddItemBody, addItemBody, customerParams, itemParams, updateItemBody } from './schemas';

const CART = '/api/v1/cart/:customer_id';
const ITEMS = '/api/v1/cart/items';
const ITEM = '/api/v1/cart/:customer_id/items/:product_id';

/** The cart endpoints: validate, call one use case, answer. */
export function cartRoutes(router: Router, carts: CartService, jsonBody: Middleware): void {
  router.get(CART, async (ctx) => {
    const { customer_id } = validate(customerParams, ctx.params, 'path');
    const cart = await carts.getCart(customer_id);
    ctx.set('ETag', versionTag(cart.version));
    ctx.set('Cache-Control', 'no-cache');
    if (clientHasVersion(ctx, cart.version)) {
      ctx.status = 304;
      return;
    }
    ctx.body = cartRepresentation(cart);
  });

  router.post(ITEMS, jsonBody, async (ctx) => {
    const body = validate<AddItemBody>(addItemBody, ctx.request.body, 'body');
    const cart = await carts.addItem({
      customerId: body.customer_id,
      expectedVersion: expectedVersion(ctx),
      item: {
        productId: body.product_id,
        productName: body.product_name,
        unitPrice: body.price,
        quantity: body.quantity,
      },
    });
    answer(ctx, `Added ${body.quantity} × ${body.product_name} to the cart`, cart);
  });

  router.put(ITEM, jsonBody, async (ctx) => {
    const { customer_id, product_id } = validate(itemParams, ctx.params, 'path');
    const { quantity } = validate(updateItemBody, ctx.request.body, 'body');
    const cart = await carts.updateQuantity({
      customerId: customer_id,
      productId: product_id,
      quantity,
      expectedVersion: expectedVersion(ctx),
    });
    answer(ctx, quantity === 0 ? 'Item removed from the cart' : `Quantity set to ${quantity}`, cart);
  });

  router.delete(ITEM, async (ctx) => {
    const { customer_id, product_id } = validate(itemParams, ctx.params, 'path');
    const cart = await carts.removeItem({
      customerId: customer_id,
      productId: product_id,
      expectedVersion: expectedVersion(ctx),
    });
    answer(ctx, 'Item removed from the cart', cart);
  });

  router.delete(CART, async (ctx) => {
    const { customer_id } = validate(customerParams, ctx.params, 'path');
    const cart = await carts.clearCart({ customerId: customer_id, expectedVersion: expectedVersion(ctx) });
    answer(ctx, 'Cart cleared', cart);
  });
}

function answer(ctx: Context, message: string, cart: CartSnapshot): void {
  ctx.set('ETag', versionTag(cart.version));
  ctx.body = mutationResult(message, cart);
}
