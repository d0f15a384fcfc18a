// Summaries are derived from samples, never written by hand: n, mean, median, p95, min, max, a
// 95% confidence interval of the median and the minimal detectable effect, per quantity (see
// SAMPLE_KEY_FIELDS).
import { mean, median, quantileSorted, sampleStandardDeviation } from 'simple-statistics';
import { formatNumber } from '../format.js';
import { isCategory, SAMPLE_KEY_FIELDS, type Sample, type Summary, sampleKey } from '../results/types.js';
import { summaryMde } from './mde.js';

export function summarize(samples: Sample[]): Summary[] {
  const groups = new Map<string, Sample[]>();
  for (const sample of samples) {
    if (isCategory(sample)) continue; // a category has no median: its kind tallies it
    const key = sampleKey(sample);
    const group = groups.get(key);
    if (group) group.push(sample);
    else groups.set(key, [sample]);
  }
  return [...groups.values()].map((group) => {
    const first = group[0]!;
    const values = group.map((s) => s.value).sort((a, b) => a - b);
    const quantity = Object.fromEntries(SAMPLE_KEY_FIELDS.filter((f) => first[f] !== undefined).map((f) => [f, first[f]])) as Pick<
      Summary,
      (typeof SAMPLE_KEY_FIELDS)[number]
    >;
    return {
      ...quantity,
      n: values.length,
      mean: mean(values),
      median: median(values),
      p95: quantileSorted(values, 0.95),
      min: values[0]!,
      max: values[values.length - 1]!,
      ...medianInterval(values),
      // How much repetitions disagree: the sample standard deviation over the mean.
      cv: values.length > 1 && mean(values) !== 0 ? sampleStandardDeviation(values) / Math.abs(mean(values)) : undefined,
      ...summaryMde(values),
    };
  });
}

/**
 * The median's distribution-free 95% interval and the level it actually reaches. Below 6 values no
 * such interval exists: ci95 is null, and ciLevel says what [min, max] covers (50% for 2 values,
 * 75% for 3, …), so nobody reads min–max as a 95% interval.
 */
export function medianInterval(sorted: number[]): { ci95: [number, number] | null; ciLevel: number } {
  const n = sorted.length;
  const j = lowerRank(n);
  if (j === 0) return { ci95: null, ciLevel: n === 0 ? 0 : 1 - 2 * 0.5 ** n };
  return { ci95: [sorted[j - 1]!, sorted[n - j]!], ciLevel: 1 - 2 * binomialCdfBelow(n, j) };
}

/** "12.1–14.3", or "none (n=3, min–max: 75%)": too few values for a 95% interval, and what min–max covers. */
export function formatInterval(summary: { ci95: [number, number] | null; ciLevel: number; n: number }): string {
  if (summary.ci95) return `${formatNumber(summary.ci95[0])}–${formatNumber(summary.ci95[1])}`;
  if (summary.n < 2) return '-';
  return `none (n=${summary.n}, min–max: ${Math.round(summary.ciLevel * 100)}%)`;
}

/** "12%": how much repetitions disagree; "-" for a single value. */
export function formatCv(summary: { cv?: number }): string {
  return summary.cv === undefined ? '-' : `${formatNumber(summary.cv * 100)}%`;
}

/** P(Binomial(n, 1/2) < j). */
function binomialCdfBelow(n: number, j: number): number {
  const logHalfN = n * Math.log(0.5);
  let logChoose = 0;
  let cdf = 0;
  for (let k = 0; k < j; k++) {
    cdf += Math.exp(logChoose + logHalfN);
    logChoose += Math.log((n - k) / (k + 1));
  }
  return cdf;
}

/** The largest j with P(Binomial(n, 1/2) < j) <= 2.5%, or 0 when there is none (n < 6); the CDF is walked in log space so large n does not underflow. */
function lowerRank(n: number): number {
  const logHalfN = n * Math.log(0.5);
  let logChoose = 0;
  let cdf = 0;
  let j = 0;
  for (let k = 0; k < n; k++) {
    cdf += Math.exp(logChoose + logHalfN);
    if (cdf > 0.025) break;
    j = k + 1;
    logChoose += Math.log((n - k) / (k + 1));
  }
  return j;
}

/**
 * 95% CI of the median from order statistics: the widest ranks j and n+1-j with
 * P(Binomial(n, 1/2) < j) <= 2.5%. It assumes nothing about the distribution, which matters for
 * skewed start-up times. With fewer than 6 values no such j exists and it widens to [min, max].
 */
export function medianConfidenceInterval(sorted: number[]): [number, number] {
  const n = sorted.length;
  if (n === 0) return [NaN, NaN];
  const j = lowerRank(n);
  if (j === 0) return [sorted[0]!, sorted[n - 1]!];
  return [sorted[j - 1]!, sorted[n - j]!];
}
