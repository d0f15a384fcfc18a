// Level shifts in a series of run medians (one value per run, oldest first), found with PELT
// (Killick, Fearnhead & Eckley 2012: optimal partitioning with pruning, O(n) on average) under a
// Gaussian change-in-mean cost. The noise level is estimated robustly from successive differences
// (so the steps themselves do not inflate it), and a change costs a penalty of
// `penalty` × σ² × ln n (BIC-like). Deterministic: the same series always gives the same answer.
import { median } from 'simple-statistics';

export interface ChangePoint {
  /** Index of the first value after the shift. */
  index: number;
  /** Mean of the segment before and of the segment after. */
  before: number;
  after: number;
  /** after / before - 1 */
  change: number;
}

export interface ChangePointOptions {
  /** Multiplies σ² ln n: larger finds fewer shifts (default 3, chosen on synthetic series: docs/history.md). */
  penalty?: number;
  /** The shortest segment, in runs (default 4): a shift must hold for this many runs to count. */
  minSegment?: number;
  /** Shifts smaller than this fraction of the level are dropped (default 0.03). */
  minChange?: number;
}

export const CHANGE_POINT_DEFAULTS = { penalty: 3, minSegment: 4, minChange: 0.03 } as const;

/** σ from successive differences: MAD(diff) / 0.6745 / √2, robust to a few shifts and outliers. */
export function noiseSigma(values: readonly number[]): number {
  if (values.length < 3) return 0;
  const diffs = values.slice(1).map((v, i) => v - values[i]!);
  const center = median(diffs);
  const mad = median(diffs.map((d) => Math.abs(d - center)));
  return mad / 0.6745 / Math.SQRT2;
}

export function changePoints(values: readonly number[], options: ChangePointOptions = {}): ChangePoint[] {
  const { penalty, minSegment, minChange } = { ...CHANGE_POINT_DEFAULTS, ...options };
  const n = values.length;
  if (n < 2 * minSegment) return [];
  const sigma = noiseSigma(values);
  const sum = new Float64Array(n + 1);
  const squares = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) {
    sum[i + 1] = sum[i]! + values[i]!;
    squares[i + 1] = squares[i]! + values[i]! ** 2;
  }
  // Cost of the segment values[s..t): its squared deviations from its own mean.
  const cost = (s: number, t: number) => squares[t]! - squares[s]! - (sum[t]! - sum[s]!) ** 2 / (t - s);
  // A series with no noise at all (identical values) still gets a tiny penalty, so it splits only at real steps.
  const beta = penalty * Math.max(sigma ** 2, 1e-12 * (sum[n]! / n) ** 2) * Math.log(n);
  const best = new Float64Array(n + 1).fill(Number.POSITIVE_INFINITY);
  const last = new Int32Array(n + 1);
  best[0] = -beta;
  let candidates: number[] = [0];
  for (let t = minSegment; t <= n; t++) {
    for (const s of candidates) {
      if (t - s < minSegment) continue;
      const value = best[s]! + cost(s, t) + beta;
      if (value < best[t]!) {
        best[t] = value;
        last[t] = s;
      }
    }
    // Pruning: a start that cannot beat the best at t, even without a penalty, never will later.
    candidates = candidates.filter((s) => t - s < minSegment || best[s]! + cost(s, t) <= best[t]!);
    if (Number.isFinite(best[t]!)) candidates.push(t);
  }
  const bounds: number[] = [];
  for (let t = n; t > 0; t = last[t]!) bounds.unshift(t);
  bounds.unshift(0);
  const mean = (s: number, t: number) => (sum[t]! - sum[s]!) / (t - s);
  const points: ChangePoint[] = [];
  for (let i = 1; i < bounds.length - 1; i++) {
    const before = mean(bounds[i - 1]!, bounds[i]!);
    const after = mean(bounds[i]!, bounds[i + 1]!);
    const change = before === 0 ? 0 : after / before - 1;
    if (Math.abs(change) >= minChange) points.push({ index: bounds[i]!, before, after, change });
  }
  return points;
}
