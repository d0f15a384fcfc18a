// The honest-interval rule: below six values no distribution-free 95% interval of a median exists
// (all values on one side of it has probability 2·0.5^n > 5% for n < 6), so no figure derived from
// one (an interval, a ratio's interval, a verdict, a minimal detectable effect) is printed, and no
// header or sentence says "95%" where none of its figures is one.

export const INTERVAL_MIN_VALUES = 6;

export function hasInterval(n: number): boolean {
  return n >= INTERVAL_MIN_VALUES;
}

/** A column header that names the 95% level only when some row has such an interval: "95% CI of median" or "interval of median". */
export function intervalHeader(anyInterval: boolean, what = 'of median'): string {
  return anyInterval ? `95% CI ${what}` : `interval ${what}`;
}
