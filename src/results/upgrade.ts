// Results files of older schemas converted to the current one on read, one step at a time, so
// results already written keep rendering and comparing. Schema 1 (coldbench 0.1) overloaded
// `phase` (a memory method for density, the client model for load), used the string "null" as
// the runtime of harness samples, and kept warnings and stop reasons as plain strings. Schema 2
// stored categories (a load pass's bottleneck, a capability probe's outcome) as numeric codes.
import { CATEGORY_UNIT, type DensityRamp, type RunResult, type Sample, SCHEMA_VERSION, type Warning } from './types.js';

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

/** Schema 2's codes for what it stored as numbers: unit "code" samples of load (bottleneck) and capabilities (outcomes). */
const V2_CODES: Record<string, readonly string[]> = {
  load: ['neither saturated', 'server-bound', 'client-bound'],
  capabilities: ['refused', 'reached', 'not-available'],
};

export function upgradeV2Sample(old: Sample): Sample {
  const categories = V2_CODES[old.measurement];
  if (old.unit !== 'code' || !categories) return old;
  return { ...old, unit: CATEGORY_UNIT, value: 1, category: categories[old.value] ?? categories[0] };
}

export function upgradeV2(value: RunResult): RunResult {
  // A malformed file keeps what it has: the shape check after the upgrade names what is wrong.
  return { ...value, schemaVersion: 3, samples: Array.isArray(value.samples) ? value.samples.map(upgradeV2Sample) : value.samples };
}

/** Whether this version reads results files of that schema. */
export function readableSchema(version: unknown): boolean {
  return version === 1 || version === 2 || version === SCHEMA_VERSION;
}

/** A parsed results file of any schema this version reads, as the current schema; undefined for a schema it does not know. */
export function upgradeToCurrent(value: Record<string, unknown>): RunResult | undefined {
  const version = value.schemaVersion;
  if (version === SCHEMA_VERSION) return value as unknown as RunResult;
  if (version === 2) return upgradeV2(value as unknown as RunResult);
  if (version === 1) return upgradeV2(upgradeV1(value));
  return undefined;
}
