import { Context } from 'koa';
import { HttpError } from '../errors';
import { isGuestId, mayPerform, OrderAction } from '@carthub/domain';
import { Authenticator, Principal, unauthorized } from './authenticate';

/**
 * Who may call a route when authentication is on: anyone; only the customer the
 * request is about; that customer and any operator (support reading what the
 * shopper sees — only for routes that change nothing); or only an operator.
 */
export type Access = 'public' | 'customer' | 'customer-or-operator-read' | 'operator';

interface AccessState {
  /** Authentication is on and the route is not public: the caller must be the customer. */
  readonly required: boolean;
  /** An operator may call it for any customer. */
  readonly operatorReads?: boolean;
  readonly principal?: Principal;
  /** Set once the route compared the subject with the customer it acts for. */
  checked: boolean;
}

const KEY = 'access';

/**
 * Authenticates the caller of a non-public route (when authentication is on) before anything else reads the request.
 * Settles at once, with nothing to wait for, when no token need be checked.
 */
export function establishAccess(
  ctx: Context,
  access: Access,
  authenticator?: Authenticator,
): Promise<void> | undefined {
  if (access === 'public' || authenticator === undefined) {
    ctx.state[KEY] = { required: false, checked: false } satisfies AccessState;
    return undefined;
  }
  return authenticator(ctx).then((principal) => {
    const operatorReads = access === 'customer-or-operator-read';
    ctx.state[KEY] = { required: true, operatorReads, checked: false, principal } satisfies AccessState;
  });
}

/**
 * Refuses a request that acts for a customer other than the authenticated one
 * (or for a guest id without that guest's own token); an operator passes only
 * on the routes operators may read.
 * Fails closed: with authentication on, no subject (or no access decision at
 * all) never passes. `refuse` lets a route hide whether the resource exists.
 */
export function assertActsFor(ctx: Context, customerId: string, refuse: () => Error = forbidden): void {
  const state = ctx.state[KEY] as AccessState | undefined;
  if (!state) throw new Error('assertActsFor called outside a mounted route');
  state.checked = true;
  if (!state.required) return;
  const { principal } = state;
  if (!principal) throw unauthorized(ctx, 'A bearer token is required');
  if (state.operatorReads && principal.operator) return;
  if (!actsFor(principal, customerId)) throw refuse();
}

/**
 * The order checks: an operator may see every order and make the moves the
 * transition table gives operators; anyone else sees only their own orders
 * (someone else's answers `hide()`, as a missing one does) and makes only the
 * customer's moves there (403 for the others). Without `action`, reading.
 */
export function assertMayHandleOrder(ctx: Context, customerId: string, hide: () => Error, action?: OrderAction): void {
  const state = ctx.state[KEY] as AccessState | undefined;
  if (!state) throw new Error('assertMayHandleOrder called outside a mounted route');
  state.checked = true;
  if (!state.required) return;
  const { principal } = state;
  if (!principal) throw unauthorized(ctx, 'A bearer token is required');
  if (principal.operator && (action === undefined || mayPerform(action, 'operator'))) return;
  if (!actsFor(principal, customerId)) throw hide();
  if (action !== undefined && !mayPerform(action, 'customer')) {
    throw new HttpError(403, 'FORBIDDEN', 'Only an operator (scope carthub:operator) may make this move');
  }
}

/** An operator route: with authentication on, only a token with the operator scope passes (403 for others). */
export function assertOperator(ctx: Context): void {
  const state = ctx.state[KEY] as AccessState | undefined;
  if (!state) throw new Error('assertOperator called outside a mounted route');
  state.checked = true;
  if (!state.required) return;
  if (!state.principal) throw unauthorized(ctx, 'A bearer token is required');
  if (!state.principal.operator) {
    throw new HttpError(403, 'FORBIDDEN', 'Only an operator (scope carthub:operator) may use this endpoint');
  }
}

function actsFor(principal: Principal, customerId: string): boolean {
  // A guest id is only ever the guest's own: a customer token never takes one over, whatever its subject.
  return principal.subject === customerId && principal.guest === isGuestId(customerId);
}

/** A customer route that never checked whose data it served is a bug; its answer must not leave. */
export function assertAccessChecked(ctx: Context): void {
  const state = ctx.state[KEY] as AccessState | undefined;
  if (!state || (state.required && !state.checked)) throw new Error('a customer route did not check the caller');
}

function forbidden(): HttpError {
  return new HttpError(403, 'FORBIDDEN', 'This token may not act for that customer');
}
