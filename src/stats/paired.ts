// A paired comparison for an interleaved run: arm A's and arm B's iteration i ran in the same round,
// adjacent in time, so the machine's drift touches both. The per-pair log ratios ln(B_i / A_i) are
// judged instead of the two medians: their Hodges–Lehmann estimate (the median of all pairwise
// averages) with the Wilcoxon signed-rank interval, both distribution-free. Below 6 pairs no 95%
// interval exists, as for a median (below 8 no 99% one).
import { twoSidedZ } from './normal.js';
import type { RatioEstimate } from './verdicts.js';

/** The pairs of two arms' values by iteration, for the iterations both have (a failed deploy leaves a gap). */
export function pairByIteration(a: { iteration: number; value: number }[], b: { iteration: number; value: number }[]): [number, number][] {
  // Pairs exist only where each iteration holds one value per arm (a cold start per iteration);
  // where an iteration holds many (a burst's tenants, a load pass's repetitions) nothing pairs.
  const unique = (samples: { iteration: number }[]) => new Set(samples.map((s) => s.iteration)).size === samples.length;
  if (!unique(a) || !unique(b)) return [];
  const right = new Map(b.map((s) => [s.iteration, s.value]));
  const pairs: [number, number][] = [];
  for (const s of a) {
    const other = right.get(s.iteration);
    if (other !== undefined) pairs.push([s.value, other]);
  }
  return pairs;
}

/**
 * The typical ratio b/a of paired values, exp(Hodges–Lehmann of ln(b/a)), with the signed-rank
 * interval at `level`; null when the interval does not exist (too few usable pairs: 6 at 95%, 8 at
 * 99%) or a value is not positive (a log ratio needs both sides above zero).
 */
export function pairedRatio(pairs: [number, number][], level = 0.95): RatioEstimate | null {
  if (pairs.some(([a, b]) => !(a > 0 && b > 0))) return null;
  const d = pairs.map(([a, b]) => Math.log(b / a));
  const interval = hodgesLehmann(d, level);
  if (!interval) return null;
  return { ratio: Math.exp(interval.estimate), ci: [Math.exp(interval.low), Math.exp(interval.high)], level };
}

/** Above this many differences the n(n+1)/2 pairwise averages cost too much: the sign test's interval of the median instead. */
const MAX_WALSH = 3000;

/** The Hodges–Lehmann estimate of the centre of d and its signed-rank interval at `level`; null below 6 values (at 95%). */
export function hodgesLehmann(d: number[], level = 0.95): { estimate: number; low: number; high: number } | null {
  const n = d.length;
  if (n > MAX_WALSH) return signTestInterval(d, level);
  const k = signedRankRank(n, level);
  if (k === 0) return null;
  const walsh = new Float64Array((n * (n + 1)) / 2);
  let w = 0;
  for (let i = 0; i < n; i++) for (let j = i; j < n; j++) walsh[w++] = (d[i]! + d[j]!) / 2;
  walsh.sort();
  const m = walsh.length;
  const estimate = m % 2 ? walsh[(m - 1) / 2]! : (walsh[m / 2 - 1]! + walsh[m / 2]!) / 2;
  return { estimate, low: walsh[k - 1]!, high: walsh[m - k]! };
}

/**
 * The largest k with P(T+ < k) <= (1 - level) / 2, T+ the signed-rank statistic of n values (0 when
 * there is none: n < 6 at 95%). Exact (counting sign patterns) up to EXACT values, a normal
 * approximation above.
 */
export function signedRankRank(n: number, level = 0.95): number {
  const m = (n * (n + 1)) / 2;
  const tail = (1 - level) / 2;
  if (n > EXACT) {
    const sd = Math.sqrt((n * (n + 1) * (2 * n + 1)) / 24);
    return Math.max(0, Math.floor(m / 2 - twoSidedZ(level) * sd + 0.5));
  }
  // counts[t] = how many of the 2^n sign patterns give T+ = t; only the lower tail is needed.
  const limit = Math.floor(m / 2);
  const counts = new Float64Array(limit + 1);
  counts[0] = 1;
  for (let r = 1; r <= n; r++) for (let t = limit; t >= r; t--) counts[t]! += counts[t - r]!;
  const total = 2 ** n;
  let below = 0;
  let k = 0;
  for (let t = 0; t <= limit; t++) {
    below += counts[t]! / total;
    if (below > tail + 1e-12) break;
    k = t + 1;
  }
  return k;
}

const EXACT = 200;

/** The median of d with its distribution-free order-statistic interval (normal approximation of the binomial: used only for very many pairs). */
function signTestInterval(d: number[], level: number): { estimate: number; low: number; high: number } {
  const sorted = Float64Array.from(d).sort();
  const n = sorted.length;
  const j = Math.max(1, Math.floor(n / 2 - twoSidedZ(level) * Math.sqrt(n / 4)));
  const estimate = n % 2 ? sorted[(n - 1) / 2]! : (sorted[n / 2 - 1]! + sorted[n / 2]!) / 2;
  return { estimate, low: sorted[j - 1]!, high: sorted[n - j]! };
}
