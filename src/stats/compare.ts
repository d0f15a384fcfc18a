// Two runs side by side: per quantity that a measurement kind lets us judge, the ratio of medians
// b/a with a bootstrap 95% CI and a verdict.
import { median } from 'simple-statistics';
import type { Better } from '../measure/types.js';
import { type RunResult, type Sample, type SampleKey, sampleKey } from '../results/types.js';
import { type RatioEstimate, ratioOfMedians, type Verdict, verdict, verdictWord } from './verdicts.js';

export interface ComparisonRow extends SampleKey {
  medianA: number;
  medianB: number;
  estimate: RatioEstimate;
  better: Better;
  verdict: Verdict;
  /** The verdict in words for its unit: faster, slower, less memory, higher, unsure, … */
  verdictText: string;
}

function groups(result: RunResult, judge: (s: SampleKey) => Better | undefined): Map<string, Sample[]> {
  const map = new Map<string, Sample[]>();
  for (const sample of result.samples) {
    if (!judge(sample)) continue;
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
}

export const COMPARE_DEFAULTS = { minSamples: 5, minEffect: 0.05 } as const;

export function compareRuns(a: RunResult, b: RunResult, judge: (s: SampleKey) => Better | undefined, options: CompareOptions = {}): ComparisonRow[] {
  const { minSamples, minEffect } = { ...COMPARE_DEFAULTS, ...options };
  const right = groups(b, judge);
  const rows: ComparisonRow[] = [];
  for (const [key, samplesA] of groups(a, judge)) {
    const samplesB = right.get(key);
    if (!samplesB) continue;
    const first = samplesA[0]!;
    const valuesA = samplesA.map((s) => s.value);
    const valuesB = samplesB.map((s) => s.value);
    if (median(valuesA) === 0) continue; // a ratio against zero says nothing
    const estimate = ratioOfMedians(valuesA, valuesB);
    const better = judge(first)!;
    const v = Math.min(valuesA.length, valuesB.length) < minSamples ? 'too few samples' : verdict(estimate, better, minEffect);
    const { iteration: _i, value: _v, scenario: _s, ...quantity } = first;
    rows.push({ ...quantity, medianA: median(valuesA), medianB: median(valuesB), estimate, better, verdict: v, verdictText: verdictWord(v, first.unit) });
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
