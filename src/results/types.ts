// The results file: raw samples in long format (one measured value per row), summaries derived
// from them, and the fingerprint of the machine that measured them. Schema 3; files of schemas 1
// and 2 are converted on read (src/results/upgrade.ts). The format is data only and imports nothing:
// every other part of coldbench depends on it, never the other way round.

export const SCHEMA_VERSION = 3;

/**
 * Which runtime something was measured on: the runtime's name (as in the registry), its variant,
 * the arm of an A/B run, and the platform. Samples, ramps, histograms and warnings carry these
 * fields; records are matched on them (src/results/identity.ts), never on a display label.
 */
export interface RuntimeIdentity {
  runtime: string;
  /** A runtime's variant when one runtime is measured several ways (e.g. wasmtime's instance model). */
  variant?: string;
  /** The arm of an interleaved A/B run (`coldbench aa`): the same runtime deployed twice, compared within one run. */
  arm?: string;
  /** The CPU architecture it ran on (Docker's names: amd64, arm64); absent in files written before it was recorded. */
  arch?: string;
  /** True when that architecture was emulated on this machine: its timings are not hardware timings. */
  emulated?: boolean;
}

/** The scenario as the results file stores it: the validated YAML, as data (src/scenario/schema.ts gives its full type). */
export interface ScenarioRecord {
  name: string;
  description?: string;
  workloads: string[];
  runtimes: string[];
  platforms?: string[];
  measurements: Record<string, unknown>;
  /** Each runtime's settings, under its name (e.g. `docker: { network: host }`). */
  [runtime: string]: unknown;
}

/** The machine that measured: enough to tell machines and architectures apart. */
export interface Fingerprint {
  hostname: string;
  cpuModel: string;
  arch: string;
  cores: number;
  memoryBytes: number;
  kernel: string;
  os: string;
  node: string;
  docker?: string;
  jco: string;
  componentizeJs: string;
  preview2Shim: string;
  gitSha: string;
  /** True when the working tree had uncommitted changes (new workloads, edits) at the run. */
  gitDirty?: boolean;
  /** The version each available runtime reported (engine, host, wasmtime and crate versions). */
  runtimeVersions?: Record<string, string>;
}

/** What one artifact of a workload was built into (src/workloads/artifacts.ts adds what each kind holds). */
export interface BuildRecord {
  kind: 'server-app' | 'image' | 'component';
  hash: string;
  cached: boolean;
  buildMs: number;
  sizes: Record<string, number>; // bytes, by artifact part (image, component, core-modules, app, native-binary)
  /** sha256 of the artifact's bytes (component.wasm): the same bytes on every machine and architecture. */
  sha256?: string;
}

/** How busy the machine was while one unit (workload x measurement) was measured (src/sys/noise.ts). */
export interface NoiseRecord {
  workload: string;
  measurement: string;
  seconds: number;
  cores: number;
  loadAverage: { start: number; end: number };
  /** Share of CPU time the hypervisor took (steal), over the unit. */
  stealPercent: number;
  governor?: string;
  /** Other processes that used at least 0.05 cores over the unit, busiest first. */
  busiestOthers: { command: string; cores: number }[];
  /** Cores used outside the run by the whole-machine counters (/proc/stat less the run's processes and their waited-for children): counts processes born and dead within the unit. Absent in older files. */
  machineOtherCores?: number;
  busy: boolean;
  /** Why it counts as busy, in words. */
  reasons: string[];
}

/** The host's limits when a density ramp ended (src/sys/host.ts). */
export interface HostLimits {
  pidMax?: number;
  threadsMax?: number;
  /** Threads now running on the whole host. */
  threads?: number;
  /** The harness's own limit on open files (soft). */
  openFilesLimit?: number;
  /** Loopback ports the harness hands out to tenants. */
  tenantPorts: number;
  memAvailableMiB?: number;
}

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
  /** "category" for an observed category (see `category`), otherwise the value's unit. */
  unit: string;
  /** For unit "category", 1: one observation (tallies sum them). */
  value: number;
  /** What was observed when it is a category, not a quantity (a load pass's bottleneck, a capability probe's outcome): never summarised. */
  category?: string;
}

/** The unit of samples that record a category: they are counted, never given medians. */
export const CATEGORY_UNIT = 'category';

export function isCategory(sample: Pick<Sample, 'unit'>): boolean {
  return sample.unit === CATEGORY_UNIT;
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
  /**
   * Minimal detectable effect: the relative change (0.14 = 14%) that `compare` at its defaults would
   * call with 80% (mde80) and 90% (mde90) power between this run and another with the same n and
   * spread. Absent below 6 values (no 95% interval) or when a value is not positive.
   */
  mde80?: number;
  mde90?: number;
}

export interface RuntimeStatus {
  runtime: string;
  /** What kind of isolation it gives its tenants (container, wasm, process), as its descriptor says: claims read it from the file alone. Absent in older files. */
  family?: string;
  available: boolean;
  version?: string;
  reason?: string;
  /** Its variants in the scenario, in the descriptor's order: the first is the one at the settings' defaults (claims call it the default). */
  variants?: string[];
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
export interface DensityRamp extends RuntimeIdentity {
  workload: string;
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
export interface LatencyHistogram extends RuntimeIdentity {
  workload: string;
  tenants: number;
  model: 'closed' | 'open';
  iteration: number;
  encoded: string;
}

export type WarningKind =
  | 'runtime-skipped'
  | 'not-verified'
  | 'busy-machine'
  | 'failed'
  | 'interrupted'
  | 'impossible-reading'
  /** A measurement method that cannot be read here (e.g. root's memory as another user), with why: no sample, never a zero. */
  | 'reading-skipped'
  | 'note';

/** A warning about one runtime carries its identity (the runtime's name, never a label); one about the run carries none. */
export interface Warning extends Partial<RuntimeIdentity> {
  kind: WarningKind;
  message: string;
  workload?: string;
}

export interface RunResult {
  schemaVersion: number;
  runId: string;
  status: 'running' | 'complete' | 'failed' | 'interrupted';
  startedAt: string;
  finishedAt?: string;
  fingerprint: Fingerprint;
  scenario: ScenarioRecord;
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
