import { DiscountCodeNotFoundError, InvalidDiscountCodeError } from '../errors';
import { DiscountCode, DiscountCodePatch, DiscountCodeTerms, normalizeCode } from './discount-code';
import { DiscountCodeStore } from './discount-store';

/** The operator's use cases for discount codes. */
export class DiscountCodeService {
  constructor(private readonly store: DiscountCodeStore) {}

  async create(terms: DiscountCodeTerms): Promise<DiscountCode> {
    if (terms.startsAt && terms.endsAt && terms.startsAt >= terms.endsAt) {
      throw new InvalidDiscountCodeError('ends_at', 'must come after starts_at');
    }
    return this.store.create({ ...terms, code: normalizeCode(terms.code) });
  }

  async get(code: string): Promise<DiscountCode> {
    const found = await this.store.find(normalizeCode(code));
    if (!found) throw new DiscountCodeNotFoundError(normalizeCode(code));
    return found;
  }

  update(code: string, patch: DiscountCodePatch, expectedVersion?: number): Promise<DiscountCode> {
    return this.store.update(normalizeCode(code), patch, expectedVersion);
  }
}
