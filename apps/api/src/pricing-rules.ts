import { readFileSync } from 'node:fs';
import Joi from 'joi';
import {
  Cents,
  MAX_SHIPPING_CENTS,
  NO_PRICING_RULES,
  parseCents,
  parseRate,
  PricingRules,
  Rate,
  subdivisionCode,
} from '@carthub/domain';
import { ConfigError } from '@carthub/util';

/** The file as read: amounts and rates are written as decimal text and read exactly (cents, fractions). */
interface RulesFile {
  tax?: { country: string; state?: string; rate: Rate }[];
  shipping?: { flat: Cents; free_over?: Cents };
}

const amount = () =>
  Joi.string().custom(
    (text: string, helpers) => parseCents(text, MAX_SHIPPING_CENTS) ?? helpers.error('amount.invalid'),
  );
const rate = () => Joi.string().custom((text: string, helpers) => parseRate(text) ?? helpers.error('rate.invalid'));

type TaxRuleEntry = NonNullable<RulesFile['tax']>[number];

/** A rule's state is stored as its ISO 3166-2 code, so "Washington" and "WA" are one rule; anything else stops start-up. */
const subdivisionOfCountry = (rule: TaxRuleEntry, helpers: Joi.CustomHelpers) => {
  if (rule.state === undefined) return rule;
  const state = subdivisionCode(rule.country, rule.state);
  return state === undefined ? helpers.error('state.unknown', { state: rule.state }) : { ...rule, state };
};

const schema = Joi.object<RulesFile, true>({
  tax: Joi.array()
    .items(
      Joi.object({
        country: Joi.string().length(2).uppercase().required(),
        state: Joi.string().trim().min(1).max(255),
        rate: rate().required(),
      }).custom(subdivisionOfCountry),
    )
    .unique((a: TaxRuleEntry, b: TaxRuleEntry) => a.country === b.country && a.state === b.state),
  shipping: Joi.object({ flat: amount().required(), free_over: amount() }),
}).messages({
  'amount.invalid': '{#label} must be an amount with at most two decimals, as text ("5.99")',
  'rate.invalid': '{#label} must be a rate from 0 to 1 with at most six decimals, as text ("0.101")',
  'state.unknown':
    '{#label} names the state "{#state}", which is no ISO 3166-2 subdivision of its country (give its code or name)',
  'array.unique': '{#label} repeats the rule for one country and state',
});

/**
 * Tax and shipping from PRICING_RULES_FILE (none: both 0). Read once at start;
 * a file that is missing or malformed stops start-up naming the variable.
 */
export function loadPricingRules(file: string | undefined): PricingRules {
  if (!file) return NO_PRICING_RULES;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError(`Invalid configuration: PRICING_RULES_FILE ${file}: ${(error as Error).message}`);
  }
  const { error, value } = schema.validate(parsed, { abortEarly: true });
  if (error) throw new ConfigError(`Invalid configuration: PRICING_RULES_FILE ${file}: ${error.message}`);
  return {
    tax: value.tax ?? [],
    shipping: value.shipping && { flat: value.shipping.flat, freeOver: value.shipping.free_over },
  };
}
