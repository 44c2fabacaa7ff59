import { Context } from 'koa';
import { CartChange, CartService, DiscountCode, DiscountCodeNotFoundError, DiscountCodeService } from '@carthub/domain';
import { assertOperator } from '../auth/access';
import { ifMatchHeader, versionTag } from '../cart/preconditions';
import { mutationResult } from '../cart/representation';
import { mutationResultSchema } from '../cart/representation-schemas';
import { customerParams } from '../cart/schemas';
import { HttpError } from '../errors';
import { bodyErrors, commonErrors, error } from '../responses';
import { defineRoute, Route } from '../routing/route';
import { discountCodeRepresentation } from './representation';
import {
  cartCodeParams,
  codeParams,
  discountRefusalSchema,
  createDiscountCodeBody,
  discountCodeSchema,
  patchDiscountCodeBody,
  patchOf,
  shopperCodeBody,
  termsOf,
} from './schemas';

const CODES = '/api/v1/discount-codes';
const tag = 'discount codes';
const operatorErrors = {
  ...commonErrors,
  403: error('FORBIDDEN: only when authentication is configured; the token lacks the operator scope'),
};
const notFound = error('DISCOUNT_CODE_NOT_FOUND');
const answered = { description: 'the discount code', schema: discountCodeSchema, headers: { ETag: '"<version>"' } };

function send(ctx: Context, code: DiscountCode): void {
  ctx.set('ETag', versionTag(code.version));
  ctx.body = discountCodeRepresentation(code);
}

/** An operator reading or changing a code that does not exist: 404, not the shopper's 422. */
async function orNotFound<T>(work: Promise<T>): Promise<T> {
  return work.catch((failure: unknown) => {
    if (failure instanceof DiscountCodeNotFoundError) throw new HttpError(404, failure.code, failure.message);
    throw failure;
  });
}

/** The operator's endpoints: create, read and change discount codes. */
export function discountCodeRoutes(codes: DiscountCodeService): Route[] {
  return [
    defineRoute({
      method: 'post',
      path: CODES,
      operationId: 'createDiscountCode',
      summary: 'Create a discount code (operators)',
      tag,
      access: 'customer',
      request: { body: createDiscountCodeBody },
      responses: {
        201: { ...answered, headers: { ...answered.headers, Location: 'the code’s URL' } },
        ...bodyErrors,
        ...operatorErrors,
        409: error('DISCOUNT_CODE_EXISTS: a code with this name (in any letter case) exists'),
      },
      async handle(ctx, { body }) {
        assertOperator(ctx);
        const created = await codes.create(termsOf(body));
        ctx.status = 201;
        ctx.set('Location', `${CODES}/${encodeURIComponent(created.code)}`);
        send(ctx, created);
      },
    }),
    defineRoute({
      method: 'get',
      path: `${CODES}/:code`,
      operationId: 'getDiscountCode',
      summary: 'A discount code, with how often it was used (operators)',
      tag,
      access: 'customer',
      request: { params: codeParams },
      responses: { 200: answered, 404: notFound, ...operatorErrors },
      async handle(ctx, { params }) {
        assertOperator(ctx);
        send(ctx, await orNotFound(codes.get(params.code)));
      },
    }),
    defineRoute({
      method: 'patch',
      path: `${CODES}/:code`,
      operationId: 'updateDiscountCode',
      summary: 'Change active, ends_at or the usage limits of a code (operators)',
      tag,
      access: 'customer',
      request: { params: codeParams, body: patchDiscountCodeBody, headers: { 'If-Match': ifMatchHeader } },
      responses: {
        200: answered,
        ...bodyErrors,
        404: notFound,
        412: error('VERSION_MISMATCH: If-Match names another version'),
        ...operatorErrors,
      },
      async handle(ctx, { params, body, headers }) {
        assertOperator(ctx);
        send(ctx, await orNotFound(codes.update(params.code, patchOf(body), headers['If-Match'])));
      },
    }),
  ];
}

/** The shopper's endpoints: put a code on the cart, take it off (cart changes, with their events). */
export function cartDiscountCodeRoutes(carts: CartService, currency: string): Route[] {
  const CART_CODES = '/api/v1/cart/:customer_id/discount-codes';
  const ifMatch = { 'If-Match': ifMatchHeader };
  const answer = (ctx: Context, message: string, change: CartChange) => {
    ctx.set('ETag', versionTag(change.cart.version));
    ctx.body = mutationResult(message, change, currency);
  };
  const mutated = {
    description: 'the cart after the change',
    schema: mutationResultSchema,
    headers: { ETag: 'the new version' },
  };
  return [
    defineRoute({
      method: 'post',
      path: CART_CODES,
      operationId: 'addDiscountCode',
      summary: 'Put a discount code on the cart (a code already there: no change)',
      tag: 'cart',
      access: 'customer',
      request: { params: customerParams, body: shopperCodeBody, headers: ifMatch },
      responses: {
        200: mutated,
        ...bodyErrors,
        409: {
          description: 'DISCOUNT_CODE_CONFLICT: the cart holds a code of this type (the body adds `conflicting_code`)',
          schema: discountRefusalSchema,
        },
        412: error('VERSION_MISMATCH'),
        ...commonErrors,
        422: {
          description:
            'DISCOUNT_CODE_NOT_FOUND (unknown code), DISCOUNT_CODE_NOT_APPLICABLE (inactive, not started or ended; ' +
            'the body adds `reason`), or VALIDATION_FAILED',
          schema: discountRefusalSchema,
        },
      },
      customerOf: ({ params }) => params.customer_id,
      async handle(ctx, { params, body, headers }) {
        const change = await carts.addDiscountCode({
          customerId: params.customer_id,
          code: body.code,
          expectedVersion: headers['If-Match'],
        });
        answer(ctx, `Discount code ${body.code.toUpperCase()} is on the cart`, change);
      },
    }),
    defineRoute({
      method: 'delete',
      path: `${CART_CODES}/:code`,
      operationId: 'removeDiscountCode',
      summary: 'Take a discount code off the cart',
      tag: 'cart',
      access: 'customer',
      request: {
        params: cartCodeParams,
        headers: ifMatch,
      },
      responses: {
        200: mutated,
        404: error('DISCOUNT_CODE_NOT_ON_CART'),
        412: error('VERSION_MISMATCH'),
        ...commonErrors,
      },
      customerOf: ({ params }) => params.customer_id,
      async handle(ctx, { params, headers }) {
        const change = await carts.removeDiscountCode({
          customerId: params.customer_id,
          code: params.code,
          expectedVersion: headers['If-Match'],
        });
        answer(ctx, `Discount code ${params.code.toUpperCase()} removed from the cart`, change);
      },
    }),
  ];
}
