// The report's words about intervals, which name the 95% level only where some figure is one
// (the honest-interval rule, src/stats/honest.ts).
import type { RunResult } from '../results/types.js';
import { COMPARE_DEFAULTS } from '../stats/compare-defaults.js';
import { INTERVAL_MIN_VALUES } from '../stats/honest.js';

export function intervalSentence(results: RunResult[]): string {
  const anyInterval = results.some((r) => r.summaries.some((s) => s.ci95));
  const detectable = 'Detectable: the smallest change a comparison with another run like this one would call with 80% / 90% power, at this n and spread.';
  if (!anyInterval)
    return `Medians. No quantity has the ${INTERVAL_MIN_VALUES} values a distribution-free confidence interval needs, so none is given: min–max instead, with what it covers.`;
  return `Medians with their 95% confidence intervals (where ${INTERVAL_MIN_VALUES} or more values give one). ${detectable}`;
}

export function comparisonSentence(anyInterval: boolean): string {
  if (!anyInterval)
    return `Ratio = this run's median / the reference's. With fewer than ${INTERVAL_MIN_VALUES} values a side there is no interval and no verdict.`;
  return `Ratio = this run's median / the reference's; the verdict is "unsure" when its 95% bootstrap CI includes 1 or the change is under ${COMPARE_DEFAULTS.minEffect * 100}%. Detectable: the smallest change the comparison would call with 80% power.`;
}
