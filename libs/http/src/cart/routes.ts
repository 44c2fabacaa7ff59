import { Context } from 'koa';
import { CartChange, CartService } from '@carthub/domain';
import { bodyErrors, catalogUnavailable, commonErrors, error, versionHeader } from '../responses';
import { Metrics } from '../observability/metrics';
import { defineRoute, Route } from '../routing/route';
import { ifMatchHeader, ifNoneMatchHeader, versionTag } from './preconditions';
import { cartRepresentation, mutationResult, quoteRepresentation } from './representation';
import { cartSchema, mutationResultSchema, quoteSchema } from './representation-schemas';
import {
  addItemBody,
  customerParams,
  itemParams,
  PriceSourceKind,
  quantityToSet,
  quoteBody,
  updateItemBody,
  updateItemQuery,
} from './schemas';

const CART = '/api/v1/cart/:customer_id';
const ITEM = '/api/v1/cart/:customer_id/items/:product_id';
const tag = 'cart';

const ifMatch = { 'If-Match': ifMatchHeader };
const mutated = {
  description: 'the cart after the change',
  schema: mutationResultSchema,
  headers: { ETag: versionHeader('the new version') },
};
const stale = error('VERSION_MISMATCH: If-Match names a version the cart has moved past');
const tooMuch = error('CART_LIMIT_EXCEEDED / VALIDATION_FAILED');
const notAddable = error(
  'CART_LIMIT_EXCEEDED / VALIDATION_FAILED; in catalog mode PRODUCT_NOT_FOUND (unknown to the catalog) or ' +
    'PRODUCT_UNAVAILABLE (inactive, in another currency, or described in a way the API cannot use)',
);
const noLine = error('ITEM_NOT_FOUND: the cart has no such line');

/** The cart endpoints: each validates (through its schemas), calls one use case, answers. */
export interface CartRouteSettings {
  readonly currency: string;
  readonly prices: PriceSourceKind;
}

export function cartRoutes(carts: CartService, metrics: Metrics, { currency, prices }: CartRouteSettings): Route[] {
  const answer = (ctx: Context, message: string, change: CartChange) => {
    ctx.set('ETag', versionTag(change.cart.version));
    ctx.body = mutationResult(message, change, currency);
  };
  return [
    defineRoute({
      method: 'get',
      path: CART,
      operationId: 'getCart',
      summary: "A customer's cart (empty, version 0, when they have none)",
      tag,
      access: 'customer-or-operator-read',
      request: { params: customerParams, headers: { 'If-None-Match': ifNoneMatchHeader } },
      responses: {
        200: { description: 'the cart', schema: cartSchema, headers: { ETag: versionHeader('"<version>"') } },
        304: {
          description: 'If-None-Match names the current version',
          headers: { ETag: versionHeader('"<version>"') },
        },
        ...commonErrors,
      },
      customerOf: ({ params }) => params.customer_id,
      async handle(ctx, { params, headers }) {
        const cart = await carts.getCart(params.customer_id);
        ctx.set('ETag', versionTag(cart.version));
        ctx.set('Cache-Control', 'no-cache');
        if (headers['If-None-Match']?.(cart.version)) {
          ctx.status = 304;
          return;
        }
        ctx.body = cartRepresentation(cart, currency);
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/cart/items',
      operationId: 'addItem',
      summary: 'Add a product; an existing line grows and takes the new name and price',
      tag,
      access: 'customer',
      request: { body: addItemBody(prices), headers: ifMatch },
      responses: {
        200: mutated,
        ...bodyErrors,
        412: stale,
        ...commonErrors,
        422: notAddable,
        503: catalogUnavailable,
      },
      customerOf: ({ body }) => body.customer_id,
      async handle(ctx, { body, headers }) {
        const change = await carts.addItem({
          customerId: body.customer_id,
          expectedVersion: headers['If-Match'],
          item: {
            productId: body.product_id,
            productName: body.product_name,
            unitPrice: body.price,
            quantity: body.quantity,
          },
        });
        metrics.itemsAdded.inc(body.quantity);
        const name = change.cart.lines.find((line) => line.productId === body.product_id)?.productName;
        answer(ctx, `Added ${body.quantity} × ${name} to the cart`, change);
      },
    }),
    defineRoute({
      method: 'put',
      path: ITEM,
      operationId: 'updateItem',
      summary: "Set a line's quantity (JSON body or ?quantity=N with no body); 0 removes it",
      tag,
      access: 'customer',
      request: { params: itemParams, query: updateItemQuery, body: updateItemBody, headers: ifMatch },
      responses: { 200: mutated, ...bodyErrors, 404: noLine, 412: stale, ...commonErrors, 422: tooMuch },
      customerOf: ({ params }) => params.customer_id,
      async handle(ctx, { params, query, body, headers }) {
        const quantity = quantityToSet(body, query);
        const cart = await carts.updateQuantity({
          customerId: params.customer_id,
          productId: params.product_id,
          quantity,
          expectedVersion: headers['If-Match'],
        });
        answer(ctx, quantity === 0 ? 'Item removed from the cart' : `Quantity set to ${quantity}`, cart);
      },
    }),
    defineRoute({
      method: 'delete',
      path: ITEM,
      operationId: 'removeItem',
      summary: 'Remove a line',
      tag,
      access: 'customer',
      request: { params: itemParams, headers: ifMatch },
      responses: { 200: mutated, 404: noLine, 412: stale, ...commonErrors },
      customerOf: ({ params }) => params.customer_id,
      async handle(ctx, { params, headers }) {
        const command = {
          customerId: params.customer_id,
          productId: params.product_id,
          expectedVersion: headers['If-Match'],
        };
        answer(ctx, 'Item removed from the cart', await carts.removeItem(command));
      },
    }),
    defineRoute({
      method: 'delete',
      path: CART,
      operationId: 'clearCart',
      summary: 'Empty the cart (an absent cart is not an error)',
      tag,
      access: 'customer',
      request: { params: customerParams, headers: ifMatch },
      responses: { 200: mutated, 412: stale, ...commonErrors },
      customerOf: ({ params }) => params.customer_id,
      async handle(ctx, { params, headers }) {
        answer(
          ctx,
          'Cart cleared',
          await carts.clearCart({ customerId: params.customer_id, expectedVersion: headers['If-Match'] }),
        );
      },
    }),
    defineRoute({
      method: 'post',
      path: `${CART}/quote`,
      operationId: 'quoteCart',
      summary: 'What checkout would charge for the cart as stored: subtotal, tax, shipping, total (no catalog call)',
      tag,
      access: 'customer-or-operator-read',
      request: { params: customerParams, body: quoteBody },
      responses: {
        200: { description: 'the quote', schema: quoteSchema },
        ...bodyErrors,
        409: error('CART_EMPTY: there is nothing to quote'),
        ...commonErrors,
      },
      customerOf: ({ params }) => params.customer_id,
      async handle(ctx, { params, body }) {
        const quote = await carts.quote(params.customer_id, body.shipping_address);
        ctx.body = quoteRepresentation(quote, currency);
      },
    }),
  ];
}
