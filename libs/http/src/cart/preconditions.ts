import Joi from 'joi';
import { typeWithMessages } from '../fields';
import { documentedAs } from '../routing/documented-as';

export function versionTag(version: number): string {
  return `"${version}"`;
}

/** Whether `If-None-Match` names this version: weak comparison (RFC 9110 §13.1.2), `*` matches anything. */
export type VersionMatcher = (version: number) => boolean;

/**
 * `If-Match: "N"`: the version a change is for; `*` means any. A header that
 * names no version we could ever have fails the precondition (RFC 9110): the
 * validation error `precondition.failed` answers 412, not 422.
 */
const preconditionType = typeWithMessages('any', {
  'precondition.failed': 'If-Match must be one strong version tag, such as "3"',
});

export const ifMatchHeader = documentedAs(
  preconditionType
    .any<number | undefined>()
    .custom((header: string, helpers) => {
      const value = header.trim();
      if (value === '*') return undefined;
      const match = /^"(\d{1,15})"$/.exec(value);
      return match ? Number(match[1]) : helpers.error('precondition.failed');
    })
    .description('"<version>": change only if the cart is still at it (else 412)'),
  { type: 'string', pattern: '^\\s*(\\*|"\\d{1,15}")\\s*$', examples: ['"1"'] },
);

/**
 * `If-None-Match`, read into a matcher. Decided here, not by Koa's `fresh`,
 * which ignores the header whenever the request says `Cache-Control: no-cache`,
 * as fetch() adds to every conditional request.
 */
export const ifNoneMatchHeader = documentedAs(
  Joi.any<VersionMatcher>()
    .custom((header: string): VersionMatcher => {
      if (header.trim() === '*') return () => true;
      const tags = header.split(',').map((tag) => tag.trim().replace(/^W\//, ''));
      return (version) => tags.includes(versionTag(version));
    })
    .description('"<version>": answer 304 when the cart is still at it'),
  { type: 'string', examples: ['"1"'] },
);
