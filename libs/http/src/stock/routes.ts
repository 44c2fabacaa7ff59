import { Context } from 'koa';
import { StockRecord, StockStore } from '@carthub/domain';
import { versionTag } from '../cart/preconditions';
import { bodyErrors, commonErrors, error } from '../responses';
import { defineRoute, Route } from '../routing/route';
import { availabilityRepresentation, stockRepresentation } from './representation';
import {
  adjustmentBody,
  availabilityQuery,
  availabilitySchema,
  stockIfMatch,
  stockOrUntrackedSchema,
  stockParams,
  stockRefusalSchema,
  stockSchema,
  stocktakeBody,
  untrackedStockSchema,
} from './schemas';

const tag = 'stock';

const operatorErrors = {
  ...commonErrors,
  403: error('FORBIDDEN: only when authentication is configured; stock is for operators (scope carthub:operator)'),
  412: error('VERSION_MISMATCH: If-Match names another version (an untracked product has none)'),
};

const changed = { description: 'the stock after the change', schema: stockSchema, headers: { ETag: '"<version>"' } };
const belowReserved = {
  description:
    'STOCK_BELOW_RESERVED: on_hand would fall below reserved (or below 0); nothing changed: cancel orders first',
  schema: stockRefusalSchema,
};

function sendStock(ctx: Context, stock: StockRecord): void {
  if (stock.tracked) ctx.set('ETag', versionTag(stock.version));
  ctx.body = stockRepresentation(stock);
}

/** The operator's stock endpoints and the public availability a product page shows. */
export function stockRoutes(stock: StockStore): Route[] {
  return [
    defineRoute({
      method: 'get',
      path: '/api/v1/stock/:product_id',
      operationId: 'getStock',
      summary: "A product's stock; {product_id, tracked: false} when it is untracked (unlimited)",
      tag,
      access: 'operator',
      request: { params: stockParams },
      responses: {
        200: { description: 'the stock', schema: stockOrUntrackedSchema, headers: { ETag: '"<version>" (tracked)' } },
        ...operatorErrors,
      },
      async handle(ctx, { params }) {
        sendStock(ctx, await stock.find(params.product_id));
      },
    }),
    defineRoute({
      method: 'put',
      path: '/api/v1/stock/:product_id',
      operationId: 'setStock',
      summary: 'A stocktake: on_hand becomes the count; creates the record (the product becomes tracked) when absent',
      tag,
      access: 'operator',
      request: { params: stockParams, body: stocktakeBody, headers: stockIfMatch },
      responses: { 200: changed, ...bodyErrors, ...operatorErrors, 409: belowReserved },
      async handle(ctx, { params, body, headers }) {
        sendStock(ctx, await stock.set(params.product_id, body.on_hand, headers['If-Match']));
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/stock/:product_id/adjustments',
      operationId: 'adjustStock',
      summary: 'Goods received (+) or written off (−); concurrent adjustments add up; an absent record starts at 0',
      tag,
      access: 'operator',
      request: { params: stockParams, body: adjustmentBody, headers: stockIfMatch },
      responses: { 200: changed, ...bodyErrors, ...operatorErrors, 409: belowReserved },
      async handle(ctx, { params, body, headers }) {
        sendStock(ctx, await stock.adjust(params.product_id, body.delta, headers['If-Match']));
      },
    }),
    defineRoute({
      method: 'delete',
      path: '/api/v1/stock/:product_id',
      operationId: 'untrackStock',
      summary: 'The product becomes untracked (unlimited); refused while orders hold units of it',
      tag,
      access: 'operator',
      request: { params: stockParams, headers: stockIfMatch },
      responses: {
        200: { description: 'the product is untracked', schema: untrackedStockSchema },
        ...operatorErrors,
        409: { description: 'STOCK_RESERVED: reserved > 0; nothing changed', schema: stockRefusalSchema },
      },
      async handle(ctx, { params, headers }) {
        sendStock(ctx, await stock.untrack(params.product_id, headers['If-Match']));
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/availability',
      operationId: 'getAvailability',
      summary: 'What a product page shows: units available per product (null when untracked), in the order asked',
      tag,
      access: 'public',
      request: { query: availabilityQuery },
      responses: {
        200: { description: 'one entry per id asked', schema: availabilitySchema },
        422: commonErrors[422],
        429: commonErrors[429],
        503: commonErrors[503],
      },
      async handle(ctx, { query }) {
        const availability = await stock.availability(query.product_ids);
        ctx.body = { availability: availability.map(availabilityRepresentation) };
      },
    }),
  ];
}
