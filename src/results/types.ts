// The results file: raw samples in long format (one measured value per row), summaries derived
// from them, and the fingerprint of the machine that measured them. Schema 2; files of schema 1
// are converted on read (src/results/upgrade.ts).
import type { Scenario } from '../scenario/schema.js';
import type { HostLimits } from '../sys/host.js';
import type { NoiseRecord } from '../sys/noise.js';
import type { BuildRecord } from '../workloads/artifacts.js';
import type { Fingerprint } from './fingerprint.js';

export const SCHEMA_VERSION = 2;

/** Measurement kinds (src/measure/registry.ts) plus the harness's own: set-up steps and the prober's floor. */
export type MeasurementName = string;

export interface Sample {
  scenario: string;
  /** A measurement kind ("coldstart", "load", "density", …), "setup" or "probe-floor". */
  measurement: MeasurementName;
  /** "-" for harness samples that belong to no workload. */
  workload: string;
  /** null for harness samples (the prober's floor) that belong to no runtime. */
  runtime: string | null;
  /** A runtime's variant when one runtime is measured several ways (e.g. wasmtime's instance model). */
  variant?: string;
  /** The arm of an interleaved A/B run (`coldbench aa`): the same runtime deployed twice, compared within one run. */
  arm?: string;
  /** The CPU architecture it ran on (Docker's names: amd64, arm64); absent in files written before it was recorded. */
  arch?: string;
  /** True when that architecture was emulated on this machine: its timings are not hardware timings. */
  emulated?: boolean;
  tenants: number;
  /** Repetition index: cold start iteration, load pass, density step. */
  iteration: number;
  /** A cold-start or set-up phase (create, start, instantiate, first-response, total, …). */
  phase?: string;
  /** How memory was read (density): pss, cgroup, host-pss-growth, … */
  method?: string;
  /** The load model: closed (autocannon) or open (fixed rate). */
  model?: 'closed' | 'open';
  metric: string;
  unit: string;
  value: number;
}

/** The fields that make two samples "the same quantity" (everything but iteration and value; see sampleKey for arch). */
export const SAMPLE_KEY_FIELDS = [
  'measurement',
  'workload',
  'runtime',
  'variant',
  'arm',
  'arch',
  'emulated',
  'tenants',
  'phase',
  'method',
  'model',
  'metric',
  'unit',
] as const;
export type SampleKey = Pick<Sample, (typeof SAMPLE_KEY_FIELDS)[number]>;

export interface Summary extends SampleKey {
  n: number;
  mean: number;
  median: number;
  p95: number;
  min: number;
  max: number;
  /** 95% confidence interval of the median (distribution-free, from order statistics); null when n is too small for one. */
  ci95: [number, number] | null;
  /** The coverage the interval actually has (>= 0.95), or, when ci95 is null, what [min, max] covers. */
  ciLevel: number;
  /** Coefficient of variation across repetitions (sample standard deviation / mean). */
  cv?: number;
}

export interface RuntimeStatus {
  runtime: string;
  available: boolean;
  version?: string;
  reason?: string;
}

/** A limit a density ramp can run into (src/measure/density-limits.ts tells which from a failure). */
export type MachineLimit = 'pids' | 'open-files' | 'memory' | 'ports' | 'instance-pool' | 'engine';

/** Why a density ramp ended: data, with `describeStop` (src/measure/density.ts) for words. */
export type StopReason =
  | { kind: 'last-step'; tenants: number }
  | { kind: 'tenant-cap'; tenants: number }
  | { kind: 'memory-budget'; tenants: number; budgetMiB: number }
  | { kind: 'time-limit'; tenants: number; limitSec: number }
  | { kind: 'failure'; tenants: number; during: 'deploy' | 'step-reading'; error: string; limit?: MachineLimit }
  | { kind: 'interrupted'; tenants: number }
  | { kind: 'unknown'; tenants: number; text: string };

/** How one density ramp ended. */
export interface DensityRamp {
  workload: string;
  runtime: string;
  variant?: string;
  arm?: string;
  /** The platform it ran on, as on samples (absent in older files: the machine's own). */
  arch?: string;
  emulated?: boolean;
  reachedTenants: number;
  stop: StopReason;
  /** How long removing its tenants took; absent while the teardown runs (the ramp is saved before it). */
  teardownMs?: number;
  /** Tenants the teardown could not remove (an engine that stopped answering): `coldbench clean` removes them. */
  teardownLeft?: { tenants: number; error: string };
  /** The host's limits when the ramp ended (pids, threads, open files, ports, memory). */
  limits?: HostLimits;
}

/** Every response latency of one load pass, as a compressed HdrHistogram in µs (base64). */
export interface LatencyHistogram {
  workload: string;
  runtime: string;
  variant?: string;
  arm?: string;
  arch?: string;
  emulated?: boolean;
  tenants: number;
  model: 'closed' | 'open';
  iteration: number;
  encoded: string;
}

export type WarningKind = 'runtime-skipped' | 'not-verified' | 'busy-machine' | 'failed' | 'interrupted' | 'note';

export interface Warning {
  kind: WarningKind;
  message: string;
  workload?: string;
  runtime?: string;
}

export interface RunResult {
  schemaVersion: number;
  runId: string;
  status: 'running' | 'complete' | 'failed' | 'interrupted';
  startedAt: string;
  finishedAt?: string;
  fingerprint: Fingerprint;
  scenario: Scenario;
  runtimes: RuntimeStatus[];
  /** What each workload was built into, per platform when the scenario names platforms (the same component file on each). */
  artifacts: { workload: string; platform?: string; emulated?: boolean; builds: BuildRecord[] }[];
  samples: Sample[];
  summaries: Summary[];
  densityRamps: DensityRamp[];
  /** Load passes' latency histograms: percentiles merge exactly across passes and tenants. */
  latencyHistograms?: LatencyHistogram[];
  /** How busy the machine was during each unit (workload x measurement). */
  noise?: NoiseRecord[];
  warnings: Warning[];
}

/** How reports name a runtime: "wasmtime", "wasmtime (per-tenant)", "docker on arm64 (emulated)". */
export function runtimeLabel(item: { runtime: string | null; variant?: string; arm?: string; arch?: string; emulated?: boolean }): string {
  const name = item.runtime ?? 'harness';
  const withVariant = item.variant ? `${name} (${item.variant})` : name;
  const withArm = item.arm ? `${withVariant} [arm ${item.arm}]` : withVariant;
  return item.emulated ? `${withArm} on ${item.arch} (emulated)` : withArm;
}

/**
 * A string that identifies a sample's quantity, for grouping. The architecture counts only when
 * emulated: within one run that keeps the host's and an emulated architecture apart, while the
 * native samples of two machines (x64 and arm64 runners) remain the same quantities for `compare`.
 */
export function sampleKey(sample: SampleKey): string {
  return SAMPLE_KEY_FIELDS.map((field) => {
    if (field === 'emulated') return '';
    if (field === 'arch') return sample.emulated ? sample.arch : '';
    return String(sample[field] ?? '');
  }).join('\0');
}

/** What a sample measures, in a few words: its phase, method or model, then its metric. */
export function quantityLabel(s: Pick<Sample, 'phase' | 'method' | 'model' | 'metric'>): string {
  const qualifier = s.phase ?? s.method ?? s.model;
  return qualifier ? `${qualifier} ${s.metric}` : s.metric;
}
