// The per-hop figures of a results file, shared by the hops measurement's read side and the
// composition claim: per runtime (and variant), the cost of one call between a pipeline's stages,
// as the median over rounds with the rounds' min and max. Pure.
import { median } from 'simple-statistics';
import { identityKey, runtimeLabel } from '../results/identity.js';
import type { RunResult, Sample } from '../results/types.js';

export const HOPS_MEASUREMENT = 'hops';
/** (pipeline latency − front-only latency) / hops, per round. */
export const HOP_COST = 'hop-cost';
/** Median latency of one round's requests, by phase: the whole pipeline, or the front alone. */
export const ROUND_LATENCY = 'latency';
export const PIPELINE_PHASE = 'pipeline';
export const FRONT_PHASE = 'front-only';
/** How many calls between stages one pipeline request makes (a count, recorded once per runtime). */
export const HOP_COUNT = 'hops';

/** How a deployment runs the stages (recorded as the hop samples' `method`): one composed component, services calling over the network, or linked in one native process. */
export type StageDeployment = 'composed' | 'services' | 'linked';
export const STAGE_DEPLOYMENTS: readonly StageDeployment[] = ['composed', 'services', 'linked'];

export interface HopFigures {
  workload: string;
  /** A sample of this runtime, for its identity (runtime, variant, arm, family through the file). */
  identity: Sample;
  label: string;
  deployment: StageDeployment;
  rounds: number;
  /** ms per hop: median over rounds, and the rounds' min and max. */
  hop: { median: number; min: number; max: number };
  pipelineMs: number;
  frontMs: number;
  hops: number;
}

/** Every (workload, runtime) measured, in the order first recorded. */
export function hopFigures(result: RunResult): HopFigures[] {
  const groups = new Map<string, Sample[]>();
  for (const sample of result.samples) {
    if (sample.measurement !== HOPS_MEASUREMENT) continue;
    const key = `${sample.workload}\0${identityKey(sample)}`;
    groups.set(key, [...(groups.get(key) ?? []), sample]);
  }
  const figures: HopFigures[] = [];
  for (const samples of groups.values()) {
    const hopCosts = samples.filter((s) => s.metric === HOP_COST).map((s) => s.value);
    if (hopCosts.length === 0) continue;
    const latency = (phase: string) => median(samples.filter((s) => s.metric === ROUND_LATENCY && s.phase === phase).map((s) => s.value));
    const first = samples[0]!;
    figures.push({
      workload: first.workload,
      identity: first,
      label: runtimeLabel(first),
      deployment: (samples.find((s) => s.metric === HOP_COST)?.method ?? 'linked') as StageDeployment,
      rounds: hopCosts.length,
      hop: { median: median(hopCosts), min: Math.min(...hopCosts), max: Math.max(...hopCosts) },
      pipelineMs: latency(PIPELINE_PHASE),
      frontMs: latency(FRONT_PHASE),
      hops: samples.find((s) => s.metric === HOP_COUNT)?.value ?? 0,
    });
  }
  return figures;
}

/** "0.012 ms (0.010–0.020)": a hop's median and the rounds' range. */
export function hopText(f: HopFigures): string {
  const ms = (v: number) => (Math.abs(v) < 1 ? v.toFixed(3) : v.toFixed(2));
  return `${ms(f.hop.median)} ms (${ms(f.hop.min)}–${ms(f.hop.max)})`.replace(/-(0\.0+)\b/g, '$1');
}
