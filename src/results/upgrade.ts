// Results files of schema 1 (written by coldbench 0.1) converted to schema 2 on read, so results
// already written keep rendering and comparing. Schema 1 overloaded `phase` (a memory method for
// density, the client model for load), used the string "null" as the runtime of harness samples,
// and kept warnings and stop reasons as plain strings.
import type { DensityRamp, RunResult, Sample, Warning } from './types.js';

type V1Sample = Omit<Sample, 'runtime' | 'phase' | 'method' | 'model'> & { runtime: string; phase: string };
type V1Ramp = Omit<DensityRamp, 'stop'> & { stopReason: string };

const DENSITY_PHASES = new Set(['deploy', 'sweep', 'idle']);

export function upgradeSample(old: V1Sample): Sample {
  const { phase, runtime, ...rest } = old;
  const sample: Sample = { ...rest, runtime: runtime === 'null' ? null : runtime };
  if (old.measurement === 'density' && !DENSITY_PHASES.has(phase)) sample.method = phase;
  else if (old.measurement === 'load') {
    sample.model = phase === 'open' ? 'open' : 'closed';
    // Schema 1 flagged client-bound passes (1); schema 2 stores the bottleneck (2 = client-bound).
    if (old.metric === 'client-bound') return { ...sample, metric: 'bottleneck', unit: 'code', value: old.value > 0 ? 2 : 0 };
  } else sample.phase = phase;
  return sample;
}

export function upgradeWarning(text: string): Warning {
  if (text.startsWith('interrupted')) return { kind: 'interrupted', message: text };
  if (text.startsWith('failed')) return { kind: 'failed', message: text };
  if (text.includes('does not answer')) return { kind: 'not-verified', message: text };
  return { kind: 'note', message: text };
}

export function upgradeV1(value: Record<string, unknown>): RunResult {
  const ramps = (value.densityRamps as V1Ramp[] | undefined) ?? [];
  return {
    ...(value as unknown as RunResult),
    schemaVersion: 2,
    samples: ((value.samples as V1Sample[]) ?? []).map(upgradeSample),
    warnings: ((value.warnings as string[] | undefined) ?? []).map((w) => upgradeWarning(String(w))),
    densityRamps: ramps.map(({ stopReason, ...ramp }) => ({ ...ramp, stop: { kind: 'unknown', tenants: ramp.reachedTenants, text: stopReason } })),
  };
}
