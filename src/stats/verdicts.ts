// Comparing two groups of measurements: the ratio of their medians with a bootstrap 95% CI, and a
// verdict that says "unsure" whenever the interval does not exclude "no change".
import { errorFunction, median } from 'simple-statistics';
import type { Better } from '../measure/types.js';

export type Verdict = 'better' | 'worse' | 'unsure' | 'too few samples';

export interface RatioEstimate {
  /** median(b) / median(a), or the typical ratio of pairs */
  ratio: number;
  /** The confidence interval of the ratio, at `level`; the verdict is judged on it. */
  ci: [number, number];
  /** 0.95 for two groups; paired comparisons are judged at COMPARE_DEFAULTS.pairedLevel. */
  level: number;
}

/** A small seeded PRNG (mulberry32), so that reports and CI verdicts are reproducible. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function ratioOfMedians(a: number[], b: number[], resamples = 2000, seed = 1): RatioEstimate {
  if (a.length === 0 || b.length === 0) throw new Error('ratioOfMedians needs values on both sides');
  const random = seededRandom(seed);
  const resampleA = medianResampler(a);
  const resampleB = medianResampler(b);
  const ratios = new Float64Array(resamples);
  for (let i = 0; i < resamples; i++) ratios[i] = resampleB(random) / resampleA(random);
  ratios.sort();
  const at = (q: number) => ratios[Math.min(ratios.length - 1, Math.max(0, Math.round(q * (ratios.length - 1))))]!;
  return { ratio: median(b) / median(a), ci: [at(0.025), at(0.975)], level: 0.95 };
}

/**
 * The median of one bootstrap resample (n draws with replacement), drawn over ranks: the values are
 * sorted once and a resample only counts how often each rank was drawn. The same distribution as
 * copying and selecting, without either. Above LARGE values even counting is too slow (`compare`
 * of two 60 MB results files), so the median's rank is drawn from its distribution instead.
 */
function medianResampler(values: number[]): (random: () => number) => number {
  const sorted = Float64Array.from(values).sort();
  const n = sorted.length;
  const lowerRank = Math.floor((n - 1) / 2); // 0-based ranks of the middle draw(s) in the resample
  const upperRank = Math.floor(n / 2);
  if (n > LARGE) {
    return (random) => {
      // One u for both ranks keeps lower <= upper; each rank's distribution is exact, their joint one
      // an approximation (off by under one rank gap, nothing at these sizes).
      const u = random();
      return (sorted[rankAtQuantile(n, lowerRank, u)]! + sorted[rankAtQuantile(n, upperRank, u)]!) / 2;
    };
  }
  const counts = new Uint32Array(n);
  return (random) => {
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[Math.floor(random() * n)]!++;
    let seen = 0;
    let rank = 0;
    while (seen + counts[rank]! <= lowerRank) seen += counts[rank++]!;
    const lower = sorted[rank]!;
    while (seen + counts[rank]! <= upperRank) seen += counts[rank++]!;
    return (lower + sorted[rank]!) / 2;
  };
}

const LARGE = 500;

/**
 * The smallest rank j whose value a resample's draw number `k` (0-based, in sorted order) does not
 * exceed with probability at least u: P(draw k <= x_j) = P(Binomial(n, (j+1)/n) > k), taken from the
 * normal approximation, which at these sizes is exact to well under a rank.
 */
function rankAtQuantile(n: number, k: number, u: number): number {
  const atMost = (j: number) => {
    const p = (j + 1) / n;
    if (p >= 1) return 1;
    const z = (k + 0.5 - n * p) / Math.sqrt(n * p * (1 - p));
    return 1 - 0.5 * (1 + errorFunction(z / Math.SQRT2));
  };
  let low = 0;
  let high = n - 1;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (atMost(mid) >= u) high = mid;
    else low = mid + 1;
  }
  return low;
}

/**
 * The verdict for b against a, given the CI of median(b) / median(a) and which direction is better.
 * A change smaller than `minEffect` (a fraction: 0.05 = 5%) is "unsure" even when the interval
 * excludes 1: on a shared machine such differences are noise, not findings.
 */
export function verdict(estimate: RatioEstimate, better: Better, minEffect = 0): Verdict {
  const [low, high] = estimate.ci;
  if (low <= 1 && high >= 1) return 'unsure';
  if (Math.abs(estimate.ratio - 1) < minEffect) return 'unsure';
  const bIsLarger = low > 1;
  return bIsLarger === (better === 'higher') ? 'better' : 'worse';
}

/** How a verdict reads for a unit: durations are faster/slower, memory less/more, throughput higher/lower. */
export function verdictWord(v: Verdict, unit: string): string {
  if (v === 'unsure' || v === 'too few samples') return v;
  if (unit === 'ms' || unit === 's') return v === 'better' ? 'faster' : 'slower';
  if (unit === 'MiB' || unit === 'bytes') return v === 'better' ? 'less memory' : 'more memory';
  return v;
}
