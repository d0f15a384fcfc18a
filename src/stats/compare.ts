// Two runs side by side: per quantity that a measurement kind lets us judge, the ratio b/a with a
// confidence interval and a verdict. Between two runs, the ratio of medians with a 95% bootstrap CI;
// between two arms of one interleaved run, the paired ratio (paired.ts), which the machine's drift
// cancels in, with its 99% interval (compare-defaults.ts says why).
// Each row also says the smallest change it could have called (mde.ts).
import { median } from 'simple-statistics';
import type { Better } from '../measure/types.js';
import { isCategory, type RunResult, type Sample, type SampleKey, sampleKey } from '../results/types.js';
import { COMPARE_DEFAULTS } from './compare-defaults.js';
import { MDE_MIN_VALUES, mdeOfEstimate } from './mde.js';
import { pairByIteration, pairedRatio } from './paired.js';
import { type RatioEstimate, ratioOfMedians, type Verdict, verdict, verdictWord } from './verdicts.js';

export { COMPARE_DEFAULTS };

export interface ComparisonRow extends SampleKey {
  medianA: number;
  medianB: number;
  estimate: RatioEstimate;
  better: Better;
  verdict: Verdict;
  /** The verdict in words for its unit: faster, slower, less memory, higher, unsure, … */
  verdictText: string;
  /** Whether the arms were judged pair by pair (one interleaved run) rather than as two groups. */
  paired: boolean;
  /** The smallest change this comparison would call with 80% / 90% power; absent below 6 values a side (no 95% interval). */
  mde80?: number;
  mde90?: number;
  /** Values on the smaller side: what the MDE was computed at. */
  n: number;
}

function groups(result: RunResult, judge: (s: SampleKey) => Better | undefined): Map<string, Sample[]> {
  const map = new Map<string, Sample[]>();
  for (const sample of result.samples) {
    if (isCategory(sample) || !judge(sample)) continue; // a category has no median to compare
    const key = sampleKey(sample);
    const group = map.get(key);
    if (group) group.push(sample);
    else map.set(key, [sample]);
  }
  return map;
}

export interface CompareOptions {
  /** No verdict when either side has fewer samples (default 5). */
  minSamples?: number;
  /** Changes smaller than this fraction are "unsure" (default 0.05). */
  minEffect?: number;
  /**
   * Judge pair by pair (iteration i of a against iteration i of b). Default: when both come from
   * the same run (arms of an interleaved run, as `aa` makes), where pairs ran side by side.
   */
  paired?: boolean;
  /** The level paired verdicts are judged at (default COMPARE_DEFAULTS.pairedLevel: 0.99). */
  pairedLevel?: number;
}

export function compareRuns(a: RunResult, b: RunResult, judge: (s: SampleKey) => Better | undefined, options: CompareOptions = {}): ComparisonRow[] {
  const { minSamples, minEffect, pairedLevel } = { ...COMPARE_DEFAULTS, ...options };
  const paired = options.paired ?? a.runId === b.runId;
  const right = groups(b, judge);
  const rows: ComparisonRow[] = [];
  for (const [key, samplesA] of groups(a, judge)) {
    const samplesB = right.get(key);
    if (!samplesB) continue;
    const first = samplesA[0]!;
    const valuesA = samplesA.map((s) => s.value);
    const valuesB = samplesB.map((s) => s.value);
    if (median(valuesA) === 0) continue; // a ratio against zero says nothing
    const pairs = paired ? pairByIteration(samplesA, samplesB) : [];
    const byPairs = paired ? pairedRatio(pairs, pairedLevel) : null;
    const estimate = byPairs ?? ratioOfMedians(valuesA, valuesB);
    const n = byPairs ? pairs.length : Math.min(valuesA.length, valuesB.length);
    const better = judge(first)!;
    const v = n < minSamples ? 'too few samples' : verdict(estimate, better, minEffect);
    const mde = n >= MDE_MIN_VALUES ? { mde80: mdeOfEstimate(estimate, 0.8, minEffect), mde90: mdeOfEstimate(estimate, 0.9, minEffect) } : {};
    const { iteration: _i, value: _v, scenario: _s, ...quantity } = first;
    rows.push({
      ...quantity,
      medianA: median(valuesA),
      medianB: median(valuesB),
      estimate,
      better,
      verdict: v,
      verdictText: verdictWord(v, first.unit),
      paired: byPairs !== null,
      n,
      ...mde,
    });
  }
  return rows.sort((x, y) => sampleKey(x).localeCompare(sampleKey(y)));
}

export function times(x: number): string {
  return `${x >= 10 ? x.toFixed(0) : x.toFixed(1)}×`;
}

/** "31–45×" */
export function span(low: number, high: number): string {
  return `${times(low).slice(0, -1)}–${times(high)}`;
}
