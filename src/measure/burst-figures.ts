// The burst kind's figures, read from samples (pure): per workload and runtime, the first-response
// percentiles of each burst size K and the time until the last tenant answered; per start rate,
// the percentiles and whether the pass was sustained, and the knee (the highest rate sustained).
// The read side, the report's charts and the autoscaling claim share them.
import { quantile } from 'simple-statistics';
import { identityKey } from '../results/identity.js';
import type { RunResult, Sample } from '../results/types.js';

/** How a start-rate pass ended: every start answered without a growing backlog, or not. */
export type PassOutcome = 'sustained' | 'overloaded' | 'failed';
export const PASS_OUTCOMES: readonly PassOutcome[] = ['sustained', 'overloaded', 'failed'];

export interface BurstFigures {
  /** Burst size K. */
  size: number;
  bursts: number;
  /** Tenants of every burst of this size that answered, pooled. */
  answered: number;
  failed: number;
  p50: number;
  p99: number;
  /** Median over bursts of the time until the last tenant answered (bursts with a failure have none). */
  allAnswered?: number;
}

export interface RateFigures {
  rate: number;
  p50?: number;
  p99?: number;
  achieved?: number;
  /** The worst outcome over its passes. */
  outcome: PassOutcome;
}

/** The highest rate sustained (0: none), and the first one that was not (absent: never overloaded, so the knee is a lower bound). */
export interface Knee {
  sustained: number;
  brokeAt?: number;
}

export interface RuntimeBursts {
  workload: string;
  /** A sample of it, for its identity. */
  identity: Sample;
  sizes: BurstFigures[];
  rates: RateFigures[];
  knee?: Knee;
}

/** A start-rate pass's phase names its offered rate: "100/s". */
export const ratePhase = (rate: number) => `${rate}/s`;
export function rateOf(phase: string | undefined): number | undefined {
  const match = /^(\d+(?:\.\d+)?)\/s$/.exec(phase ?? '');
  return match ? Number(match[1]) : undefined;
}

const medianOf = (values: number[]) => (values.length ? quantile(values, 0.5) : undefined);

/** Every runtime's bursts and rates in one results file, by workload, in the order first measured. */
export function burstFigures(result: RunResult): RuntimeBursts[] {
  const groups = new Map<string, { workload: string; identity: Sample; samples: Sample[] }>();
  for (const s of result.samples) {
    if (s.measurement !== 'burst' && s.measurement !== 'start-rate') continue;
    const key = `${s.workload}\0${identityKey(s)}`;
    const group = groups.get(key) ?? { workload: s.workload, identity: s, samples: [] };
    group.samples.push(s);
    groups.set(key, group);
  }
  return [...groups.values()].map(({ workload, identity, samples }) => {
    const rates = rateFiguresOf(samples.filter((s) => s.measurement === 'start-rate'));
    return {
      workload,
      identity,
      sizes: sizeFiguresOf(samples.filter((s) => s.measurement === 'burst')),
      rates,
      ...(rates.length ? { knee: kneeOf(rates) } : {}),
    };
  });
}

function sizeFiguresOf(samples: Sample[]): BurstFigures[] {
  const sizes = [...new Set(samples.map((s) => s.tenants))].sort((a, b) => a - b);
  return sizes.flatMap((size) => {
    const of = samples.filter((s) => s.tenants === size);
    const latencies = of.filter((s) => s.phase === 'first-response').map((s) => s.value);
    if (latencies.length === 0) return [];
    const failed = of.filter((s) => s.phase === 'failed').reduce((sum, s) => sum + s.value, 0);
    const allAnswered = medianOf(of.filter((s) => s.phase === 'all-answered').map((s) => s.value));
    return [
      {
        size,
        bursts: new Set(of.map((s) => s.iteration)).size,
        answered: latencies.length,
        failed,
        p50: quantile(latencies, 0.5),
        p99: quantile(latencies, 0.99),
        ...(allAnswered === undefined ? {} : { allAnswered }),
      },
    ];
  });
}

function rateFiguresOf(samples: Sample[]): RateFigures[] {
  const rates = [...new Set(samples.map((s) => rateOf(s.phase)).filter((r): r is number => r !== undefined))].sort((a, b) => a - b);
  return rates.map((rate) => {
    const of = samples.filter((s) => rateOf(s.phase) === rate);
    const metric = (name: string) => medianOf(of.filter((s) => s.metric === name).map((s) => s.value));
    const seen = of.filter((s) => s.metric === 'outcome').map((s) => s.category as PassOutcome);
    const outcome = PASS_OUTCOMES.filter((o) => seen.includes(o)).at(-1) ?? 'failed';
    const figures: RateFigures = { rate, outcome };
    const [p50, p99, achieved] = [metric('first-response-p50'), metric('first-response-p99'), metric('achieved-rate')];
    if (p50 !== undefined) figures.p50 = p50;
    if (p99 !== undefined) figures.p99 = p99;
    if (achieved !== undefined) figures.achieved = achieved;
    return figures;
  });
}

/** Rates are tried in ascending order and stop at the first that is not sustained. */
export function kneeOf(rates: RateFigures[]): Knee {
  const broke = rates.find((r) => r.outcome !== 'sustained');
  const below = rates.filter((r) => r.outcome === 'sustained' && (!broke || r.rate < broke.rate));
  return { sustained: below.at(-1)?.rate ?? 0, ...(broke ? { brokeAt: broke.rate } : {}) };
}

/** "1,000 starts/s", "≥ 2,000 starts/s" (never overloaded), "< 1 start/s" (overloaded at the lowest rate). */
export function kneeWords(knee: Knee): string {
  const rate = (r: number) => `${r.toLocaleString('en-US')} start${r === 1 ? '' : 's'}/s`;
  if (knee.sustained === 0) return `< ${rate(knee.brokeAt ?? 0)}`;
  return knee.brokeAt === undefined ? `≥ ${rate(knee.sustained)}` : rate(knee.sustained);
}

/**
 * Whether a start-rate pass kept up: every start answered, none waited `overloadMs`, and the wait
 * did not grow with time. Above the knee a backlog grows without bound: the wait rises by
 * (1 − capacity / rate) ms per ms. Overloaded when the slope of wait against start time
 * (Theil–Sen: the median of pairwise slopes, which one slow start on a busy machine does not move)
 * is at least `backlogShare` and the wait rose by at least `growthMs` over the pass. `starts` are
 * in start order; `ms` is absent for a start that failed.
 */
export function passOutcome(
  starts: { intendedMs: number; ms?: number }[],
  planned: number,
  limits: { overloadMs: number; backlogShare: number; growthMs: number },
): { outcome: PassOutcome; why: string } {
  const failed = starts.filter((s) => s.ms === undefined).length;
  if (failed > 0) return { outcome: 'failed', why: `${failed} of ${starts.length} starts did not answer` };
  if (starts.length < planned) return { outcome: 'overloaded', why: `stopped after ${starts.length} of ${planned} starts: one waited ${limits.overloadMs} ms` };
  if (starts.some((s) => s.ms! >= limits.overloadMs)) return { outcome: 'overloaded', why: `a start waited ≥ ${limits.overloadMs} ms` };
  const span = starts.at(-1)!.intendedMs - starts[0]!.intendedMs;
  const slope = theilSen(starts.map((s) => [s.intendedMs, s.ms!] as const));
  const words = `the wait grew by ${Math.round(slope * span)} ms over ${Math.round(span)} ms (slope ${slope.toFixed(3)})`;
  if (slope >= limits.backlogShare && slope * span >= limits.growthMs) return { outcome: 'overloaded', why: `${words}: a growing backlog` };
  return { outcome: 'sustained', why: words };
}

/** The median slope over pairs of points (of at most 200, evenly picked): robust to outliers. */
export function theilSen(points: readonly (readonly [number, number])[]): number {
  const step = Math.max(1, points.length / 200);
  const picked = Array.from({ length: Math.min(points.length, 200) }, (_, i) => points[Math.floor(i * step)]!);
  const slopes: number[] = [];
  for (let i = 0; i < picked.length; i++)
    for (let j = i + 1; j < picked.length; j++)
      if (picked[j]![0] !== picked[i]![0]) slopes.push((picked[j]![1] - picked[i]![1]) / (picked[j]![0] - picked[i]![0]));
  return slopes.length ? quantile(slopes, 0.5) : 0;
}
