// The planner's arithmetic: from a pilot run's cold starts, how many iterations each runtime needs
// for `compare` (between two runs, at its defaults) to call a change of a given size with a given
// power. The pilot's spread gives the comparison's standard error (mde.ts); it shrinks with √n.
import { identityKey, runtimeLabel } from '../results/identity.js';
import type { RunResult, Sample } from '../results/types.js';
import { iterationsFor, mdeAt, runToRunStandardError } from './mde.js';

export interface PlanRow {
  workload: string;
  runtime: string;
  /** Cold starts the pilot measured. */
  n: number;
  /** The change detectable with `power` at the pilot's n; undefined below 6 values. */
  mdeNow?: number;
  /** Iterations for the target; null when no count can (a target at or below compare's minimum effect); undefined when the pilot has too few values to tell. */
  needed?: number | null;
}

/** One row per workload and runtime with cold-start totals in the pilot. */
export function planIterations(pilot: RunResult, target: number, power: number, minEffect?: number): PlanRow[] {
  const groups = new Map<string, Sample[]>();
  for (const s of pilot.samples.filter((x) => x.measurement === 'coldstart' && x.phase === 'total')) {
    const key = `${s.workload}\0${identityKey(s)}`;
    groups.set(key, [...(groups.get(key) ?? []), s]);
  }
  return [...groups.values()].map((samples) => {
    const values = samples.map((s) => s.value);
    const row: PlanRow = { workload: samples[0]!.workload, runtime: runtimeLabel(samples[0]!), n: values.length };
    const se = runToRunStandardError(values);
    if (se === undefined) return row;
    return { ...row, mdeNow: mdeAt(se, power, minEffect), needed: iterationsFor(target, values.length, se, power, minEffect) };
  });
}

/** What a run of `iterations` rounds costs, from the pilot's wall time over its rounds (set-up included: an upper estimate). */
export function estimateSeconds(pilot: RunResult, pilotRounds: number, rounds: number): number | undefined {
  if (!pilot.finishedAt) return undefined;
  const wall = (Date.parse(pilot.finishedAt) - Date.parse(pilot.startedAt)) / 1000;
  return Number.isFinite(wall) && pilotRounds > 0 ? (wall * rounds) / pilotRounds : undefined;
}
