import Joi from 'joi';
import { defineRoute } from './route';

// These tests are checked by the typecheck target: each @ts-expect-error fails `tsc` if its line compiles.
const body = Joi.object<{ name: string }, true>({ name: Joi.string().required() });
const params = Joi.object<{ id: string }, true>({ id: Joi.string().required() });

describe('route input types', () => {
  it('come from the route schemas: a handler cannot read a field its schemas do not declare', () => {
    const route = defineRoute({
      method: 'post',
      path: '/things/:id',
      operationId: 'thing',
      summary: 'a thing',
      tag: 'test',
      access: 'public',
      request: { params, body },
      responses: {},
      handle(ctx, input) {
        ctx.body = { id: input.params.id, name: input.body.name };
        // @ts-expect-error: `price` is in neither schema
        ctx.body = input.body.price;
        // @ts-expect-error: a name is a string, not a number
        ctx.body = input.body.name.toFixed(2);
      },
    });
    expect(route.request?.body).toBe(body);
  });

  it('a schema covers exactly the type it declares, each field with a schema of its kind', () => {
    // @ts-expect-error: `price` is declared but the schema has no rule for it
    const missing = Joi.object<{ name: string; price: number }, true>({ name: Joi.string() });
    // @ts-expect-error: a number checked by a string schema
    const wrongKind = Joi.object<{ price: number }, true>({ price: Joi.string() });
    expect([missing, wrongKind].every((schema) => Joi.isSchema(schema))).toBe(true);
  });
});
