import Joi from 'joi';
import { Cents, MAX_ORDER_TOTAL_CENTS, ORDER_STATES } from '@carthub/domain';
import { moneyAmount, text } from '../fields';
import { ifMatchHeader } from '../cart/preconditions';
import { errorSchema } from '../responses';

export interface PaymentBody {
  payment_id: string;
  amount: Cents;
}

export const paymentBody = Joi.object<PaymentBody, true>({
  payment_id: text().required().description("the payment provider's id; one payment pays one order"),
  amount: moneyAmount(MAX_ORDER_TOTAL_CENTS).required().description("must equal the order's total_amount"),
})
  .required()
  .example({ payment_id: 'pay_3Nq8xY', amount: 2599.98 })
  .example({ payment_id: 'pay_7Hk2mP', amount: 2599.98 });

/** What the optional bodies of cancel, fulfilment and refund may hold; each endpoint accepts only its own field. */
export interface MoveBody {
  reason?: string;
  tracking_number?: string;
}

export const reasonBody: Joi.ObjectSchema<MoveBody | undefined> = Joi.object<MoveBody>({
  reason: text().description('kept in status_history'),
})
  .description('Optional')
  .example({ reason: 'changed my mind' });

export const fulfilmentBody: Joi.ObjectSchema<MoveBody | undefined> = Joi.object<MoveBody>({
  tracking_number: text(),
})
  .description('Optional')
  .example({ tracking_number: '1Z999AA10123456784' });

export const orderIfMatch = {
  'If-Match': ifMatchHeader.description('"<order version>": move the order only if it is still at it (else 412)'),
};

const state = () => Joi.string().valid(...ORDER_STATES);

export const orderStatesSchema = Joi.object({
  states: Joi.array().items(state()).required(),
  transitions: Joi.array()
    .items(
      Joi.object({
        from: state().required(),
        to: state().required(),
        endpoint: Joi.string().allow(null).required().description('null: only the service makes it (expiry)'),
        who: Joi.array()
          .items(Joi.string().valid('customer', 'operator', 'payment_provider', 'system'))
          .required(),
      }).label('OrderTransition'),
    )
    .required(),
}).label('OrderStates');

export const invalidTransitionSchema = errorSchema
  .keys({
    status: state().description('the state the order is in'),
    allowed_transitions: Joi.array().items(state()).description('the states reachable from it; [] for a final state'),
  })
  .label('TransitionError');
