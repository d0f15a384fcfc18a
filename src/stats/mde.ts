// Minimal detectable effects: the smallest relative change that `compare`, at its defaults, would
// call with a given power, from the width of the interval its own test gives (the 95% bootstrap of
// a ratio of medians between runs, the 99% signed-rank interval of paired ratios within one). The
// interval's half-width on the log scale is z(level) standard errors (1.96 at 95%); a change is
// called when its interval excludes "no change" and its estimate is at least minEffect, so
//   ln(1 + MDE) = max(z(level)·se, ln(1 + minEffect)) + z(power)·se.
// The standard error shrinks with √n, which is all the planner needs.
import { probit } from 'simple-statistics';
import { COMPARE_DEFAULTS } from './compare-defaults.js';
import { INTERVAL_MIN_VALUES } from './honest.js';
import { twoSidedZ } from './normal.js';
import { type RatioEstimate, ratioOfMedians } from './verdicts.js';

/** The powers every summary states its MDE at. */
export const MDE_POWERS = [0.8, 0.9] as const;

/** The standard error of ln(ratio) that an interval of the ratio at `level` implies. */
export function logStandardError(ci: readonly [number, number], level = 0.95): number {
  return (Math.log(ci[1]) - Math.log(ci[0])) / (2 * twoSidedZ(level));
}

/** The smallest relative change (0.14 = 14%) called with `power` by a test at `level` whose log standard error is `se`. */
export function mdeAt(se: number, power: number, minEffect: number = COMPARE_DEFAULTS.minEffect, level = 0.95): number {
  return Math.expm1(Math.max(twoSidedZ(level) * se, Math.log1p(minEffect)) + probit(power) * se);
}

/** The MDE of a comparison from its own interval, at the level its verdict was judged at. */
export function mdeOfEstimate(estimate: Pick<RatioEstimate, 'ci' | 'level'>, power: number, minEffect: number = COMPARE_DEFAULTS.minEffect): number {
  return mdeAt(logStandardError(estimate.ci, estimate.level), power, minEffect, estimate.level);
}

/** Fewer values than this give no 95% interval (honest.ts): no MDE either. */
export const MDE_MIN_VALUES = INTERVAL_MIN_VALUES;

/**
 * Resamples for a summary's MDE: every summary is recomputed whenever results are written or read,
 * and the data's own noise (at 15 values its se is off by up to ±50%) dwarfs the resampling's at 500.
 */
const MDE_RESAMPLES = 500;

/**
 * The MDE of a comparison between this run and another like it (same n, same spread): the
 * bootstrap interval of median(x*)/median(x**), two independent resamples of these values, as
 * `compare` would compute it. Undefined below MDE_MIN_VALUES or when a value is not positive.
 */
export function summaryMde(values: number[], minEffect: number = COMPARE_DEFAULTS.minEffect): { mde80: number; mde90: number } | undefined {
  const se = runToRunStandardError(values);
  if (se === undefined) return undefined;
  return { mde80: mdeAt(se, 0.8, minEffect), mde90: mdeAt(se, 0.9, minEffect) };
}

/** The log standard error of a ratio of medians between this run and another like it; undefined below MDE_MIN_VALUES or for a value that is not positive. */
export function runToRunStandardError(values: number[]): number | undefined {
  if (values.length < MDE_MIN_VALUES || values.some((v) => !(v > 0))) return undefined;
  return logStandardError(ratioOfMedians(values, values, MDE_RESAMPLES).ci);
}

/**
 * Iterations per runtime for an MDE of `target` at `power`, from a pilot of n values whose log
 * standard error was `se` (se ∝ 1/√n). Null when no n can: a target at or below minEffect is
 * never called, whatever the interval.
 */
export function iterationsFor(target: number, n: number, se: number, power: number, minEffect: number = COMPARE_DEFAULTS.minEffect): number | null {
  const goal = Math.log1p(target);
  const z = probit(power);
  if (goal <= Math.log1p(minEffect)) return null;
  if (se === 0) return MDE_MIN_VALUES;
  const seNeeded = Math.min(goal / (twoSidedZ(0.95) + z), (goal - Math.log1p(minEffect)) / z);
  return Math.max(MDE_MIN_VALUES, Math.ceil(n * (se / seNeeded) ** 2));
}

/** "14%" (an MDE as a percentage, rounded up: a change under this could not be seen). */
export function formatMde(mde: number | undefined): string {
  if (mde === undefined) return '-';
  const pct = mde * 100;
  return `${pct >= 10 ? Math.ceil(pct) : Math.ceil(pct * 10) / 10}%`;
}

/** The column that states a summary's MDE: the change a comparison with another run like it would see. */
export const MDE_HEADER = 'detectable (80/90% power)';

/** "14% / 17%", or "-" (below 6 values, or not a positive quantity). */
export function formatSummaryMde(summary: { mde80?: number; mde90?: number }): string {
  if (summary.mde80 === undefined || summary.mde90 === undefined) return '-';
  return `${formatMde(summary.mde80)} / ${formatMde(summary.mde90)}`;
}
