// What reports and `compare` say about differences: per metric, the ratio of medians between two
// runs (another machine, another commit) with its CI and verdict, and, within a run, how each
// runtime compares with a baseline runtime, in words.
import type { RunResult, Sample, Summary } from '../results/types.js';
import { ratioOfMedians, verdict, type RatioEstimate, type Verdict } from '../stats/verdicts.js';

export interface ComparisonRow extends Pick<Summary, 'measurement' | 'workload' | 'runtime' | 'tenants' | 'phase' | 'metric' | 'unit'> {
  medianA: number;
  medianB: number;
  estimate: RatioEstimate;
  verdict: Verdict;
}

/** The samples worth comparing: durations, throughput and latency, memory per tenant. */
function comparable(sample: Sample): boolean {
  if (sample.measurement === 'coldstart' || sample.measurement === 'setup' || sample.measurement === 'probe-floor') return true;
  if (sample.measurement === 'load') return ['throughput', 'latency-p50', 'latency-p99'].includes(sample.metric);
  return sample.measurement === 'density' && sample.metric === 'memory-per-tenant';
}

function groups(result: RunResult): Map<string, Sample[]> {
  const map = new Map<string, Sample[]>();
  for (const sample of result.samples.filter(comparable)) {
    const key = [sample.measurement, sample.workload, sample.runtime, sample.tenants, sample.phase, sample.metric, sample.unit].join('\0');
    map.set(key, [...(map.get(key) ?? []), sample]);
  }
  return map;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((x, y) => x - y);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

export function compareRuns(a: RunResult, b: RunResult): ComparisonRow[] {
  const left = groups(a);
  const right = groups(b);
  const rows: ComparisonRow[] = [];
  for (const [key, samplesA] of left) {
    const samplesB = right.get(key);
    if (!samplesB) continue;
    const first = samplesA[0]!;
    const valuesA = samplesA.map((s) => s.value);
    const valuesB = samplesB.map((s) => s.value);
    if (median(valuesA) === 0) continue; // a ratio against zero says nothing
    const estimate = ratioOfMedians(valuesA, valuesB);
    rows.push({
      measurement: first.measurement, workload: first.workload, runtime: first.runtime, tenants: first.tenants,
      phase: first.phase, metric: first.metric, unit: first.unit,
      medianA: median(valuesA), medianB: median(valuesB), estimate, verdict: verdict(estimate, first.unit),
    });
  }
  return rows.sort((x, y) => [x.measurement, x.workload, x.runtime, x.phase].join().localeCompare([y.measurement, y.workload, y.runtime, y.phase].join()) || x.tenants - y.tenants);
}

export interface BaselineStatement {
  workload: string;
  runtime: string;
  baseline: string;
  estimate: RatioEstimate; // median(runtime) / median(baseline)
  sentence: string;
}

/** The runtime whose median cold start is slowest: the natural "compared with" for the others. */
export function slowestRuntime(result: RunResult): string | undefined {
  const totals = result.summaries.filter((s) => s.measurement === 'coldstart' && s.phase === 'total');
  return totals.sort((x, y) => y.median - x.median)[0]?.runtime;
}

/** "wasm reached first response 38× sooner than docker (95% CI 31–45×)", per workload and runtime. */
export function baselineStatements(result: RunResult, baseline: string): BaselineStatement[] {
  const statements: BaselineStatement[] = [];
  const totals = result.samples.filter((s) => s.measurement === 'coldstart' && s.phase === 'total');
  for (const workload of [...new Set(totals.map((s) => s.workload))]) {
    const base = totals.filter((s) => s.workload === workload && s.runtime === baseline).map((s) => s.value);
    if (base.length === 0) continue;
    for (const runtime of [...new Set(totals.map((s) => s.runtime))].filter((r) => r !== baseline)) {
      const mine = totals.filter((s) => s.workload === workload && s.runtime === runtime).map((s) => s.value);
      if (mine.length === 0) continue;
      const estimate = ratioOfMedians(base, mine);
      statements.push({ workload, runtime, baseline, estimate, sentence: coldStartSentence(workload, runtime, baseline, estimate) });
    }
  }
  return statements;
}

function coldStartSentence(workload: string, runtime: string, baseline: string, estimate: RatioEstimate): string {
  const [low, high] = estimate.ci95;
  if (low <= 1 && high >= 1) {
    return `${workload}: ${runtime} and ${baseline} reached first response in times we cannot tell apart (${times(estimate.ratio)} of ${baseline}'s, 95% CI ${span(low, high)}).`;
  }
  if (estimate.ratio < 1) {
    return `${workload}: ${runtime} reached first response ${times(1 / estimate.ratio)} sooner than ${baseline} (95% CI ${span(1 / high, 1 / low)}).`;
  }
  return `${workload}: ${runtime} reached first response ${times(estimate.ratio)} later than ${baseline} (95% CI ${span(low, high)}).`;
}

function number(x: number): string {
  return x >= 10 ? x.toFixed(0) : x.toFixed(1);
}

export function times(x: number): string {
  return `${number(x)}×`;
}

/** "31–45×" */
function span(low: number, high: number): string {
  return `${number(low)}–${times(high)}`;
}
