// Summaries are derived from samples, never written by hand: n, mean, median, p95, min, max and a
// 95% confidence interval of the median, per quantity (see SAMPLE_KEY_FIELDS).
import { mean, median, quantileSorted } from 'simple-statistics';
import { SAMPLE_KEY_FIELDS, sampleKey, type Sample, type Summary } from '../results/types.js';

export function summarize(samples: Sample[]): Summary[] {
  const groups = new Map<string, Sample[]>();
  for (const sample of samples) {
    const key = sampleKey(sample);
    const group = groups.get(key);
    if (group) group.push(sample);
    else groups.set(key, [sample]);
  }
  return [...groups.values()].map((group) => {
    const first = group[0]!;
    const values = group.map((s) => s.value).sort((a, b) => a - b);
    const quantity = Object.fromEntries(SAMPLE_KEY_FIELDS.filter((f) => first[f] !== undefined).map((f) => [f, first[f]])) as Pick<Summary, (typeof SAMPLE_KEY_FIELDS)[number]>;
    return {
      ...quantity,
      n: values.length,
      mean: mean(values),
      median: median(values),
      p95: quantileSorted(values, 0.95),
      min: values[0]!,
      max: values[values.length - 1]!,
      ci95: medianConfidenceInterval(values),
    };
  });
}

/**
 * 95% CI of the median from order statistics: the widest ranks j and n+1-j with
 * P(Binomial(n, 1/2) < j) <= 2.5%. It assumes nothing about the distribution, which matters for
 * skewed start-up times. With fewer than 6 values no such j exists and it widens to [min, max].
 */
export function medianConfidenceInterval(sorted: number[]): [number, number] {
  const n = sorted.length;
  if (n === 0) return [NaN, NaN];
  // Walk the binomial CDF in log space so that large n does not underflow.
  const logHalfN = n * Math.log(0.5);
  let logChoose = 0; // log C(n, 0)
  let cdf = 0;
  let j = 0; // P(X < j) <= 0.025 for ranks 1..j; j = 0 means "no such rank"
  for (let k = 0; k < n; k++) {
    cdf += Math.exp(logChoose + logHalfN);
    if (cdf > 0.025) break;
    j = k + 1;
    logChoose += Math.log((n - k) / (k + 1));
  }
  if (j === 0) return [sorted[0]!, sorted[n - 1]!];
  return [sorted[j - 1]!, sorted[n - j]!];
}
