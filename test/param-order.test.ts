/**
 * Parameters are listed in the order `localeCompare` (the Unicode collation's root order)
 * gives their names; compareParamNames gives it without creating ICU's collator at start-up.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareParamNames } from '../src/resolve/index.js';

const ROOT_ORDER = new Intl.Collator('und');
const NAME = fc.stringMatching(/^[a-z][a-z0-9_]{0,12}$/);

describe('compareParamNames', () => {
  it('orders parameter names as the root collation does', () => {
    fc.assert(
      fc.property(NAME, NAME, (a, b) => {
        expect(Math.sign(compareParamNames(a, b))).toBe(Math.sign(ROOT_ORDER.compare(a, b)));
      }),
      { numRuns: 5000 },
    );
  });

  it('puts the underscore before digits and digits before letters', () => {
    const names = ['a1', 'a_b', 'ab', 'a', 'a9', 'a_', 'b'];
    expect([...names].sort(compareParamNames)).toEqual([...names].sort((x, y) => ROOT_ORDER.compare(x, y)));
    expect([...names].sort(compareParamNames)).toEqual(['a', 'a_', 'a_b', 'a1', 'a9', 'ab', 'b']);
  });
});
