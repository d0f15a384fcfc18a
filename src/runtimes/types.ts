// The contract every runtime keeps. A runtime is one file in src/runtimes/ exporting a
// RuntimeDescriptor (cheap to import: names, options, phases) whose create() loads the driver.
// The runner, the registry and the conformance suite see only these types.
import type { z } from 'zod';
import type { WorkloadArtifacts } from '../workloads/artifacts.js';
import type { Platform } from './platform.js';

/** One line of `doctor`: what was checked, whether it works here, and the exact fix when not. */
export interface Check {
  name: string;
  ok: boolean;
  detail: string;
  fix?: string;
}

export type Availability = { available: true; version?: string } | { available: false; reason: string; fix: string };

/** What a runtime deploys, built from the workload by src/workloads/build.ts. */
export type ArtifactKind = 'server-app' | 'image' | 'component';

/** A timed step of a deploy, in milliseconds (e.g. docker create, process spawn, wasm instantiate). */
export interface PhaseTiming {
  phase: string;
  ms: number;
  /** Done before the measured window (e.g. a pre-created container's create): recorded outside the cold start's total. */
  ahead?: boolean;
}

/** A series of the runtime's own timings for one phase (e.g. instantiations back to back), in ms. */
export interface ReferenceSeries {
  phase: string;
  ms: number[];
  /** Idle time before each figure, when the series measures instantiation after a gap. */
  gapMs?: number;
}

export interface Deployment {
  runtime: string;
  variant?: string;
  tenantId: string;
  /** http://127.0.0.1:PORT[/prefix]: a workload request path is appended to it. */
  baseUrl: string;
  /** Phases timed inside deploy(), in the order they happened. */
  phases: PhaseTiming[];
  /**
   * Resolves, with how it exited and its last lines of output, if the tenant exits; never while it
   * runs. Lets a probe fail at once on a tenant that died at start instead of waiting out its timeout.
   * Stops watching when `signal` aborts.
   */
  watchExit?(signal: AbortSignal): Promise<string>;
}

/** Memory that deployments cost, by one named method, summed over the deployments given. */
export interface MemoryReading {
  method: string;
  bytes: number;
  /** Includes a base that does not grow with tenants (a shared host): per-tenant figures subtract the zero-tenant reading. */
  sharedBase?: boolean;
  /** Why this method could not be read here (then `bytes` is NaN): recorded as a warning, never as a sample. */
  skipped?: string;
}

export interface RunContext {
  runId: string;
  /** CPUs the servers are pinned to (cpuset / taskset list such as "0"), when CPU isolation is on. */
  serverCpus?: string;
  /** The platform the driver's tenants run on, when the scenario names platforms (else the host's). */
  platform?: Platform;
}

/** A deploy as raw bytes for a prober to send itself on a kept-alive connection, then probe: no harness work between deploy and first response. */
export interface ProberDeploy {
  /** The deployment, before it answered: teardown() works on it even when the deploy failed. */
  deployment: Deployment;
  /** Loopback port of the control API, and the whole HTTP/1.1 request (keep-alive). */
  controlPort: number;
  request: Buffer;
  /** Records the deploy's answer (its in-process phases) on the deployment. */
  answered(body: string): void;
}

export interface RuntimeDriver {
  readonly name: string;
  /** Set when the runtime is measured several ways in one run (e.g. wasmtime's instance model). */
  readonly variant?: string;
  /** Set on each copy when one runtime is deployed twice in one run, as arms of an A/B comparison. */
  arm?: string;
  /** Set on each copy when the scenario names platforms: the architecture it runs, and whether emulated. */
  platform?: Platform;
  /** Why it cannot deploy this workload at all (capability: e.g. stage services deploy pipelines only); undefined when it can. */
  cannotDeploy?(workload: WorkloadArtifacts['workload']): string | undefined;
  /** One-time set-up for a workload before its tenants are deployed; returns phases worth recording. */
  prepare?(artifacts: WorkloadArtifacts): Promise<PhaseTiming[]>;
  deploy(artifacts: WorkloadArtifacts, tenantId: string): Promise<Deployment>;
  /** A deploy the prober can send itself (capability: a host that is already running, with a control API); cold start uses it when the prober can. */
  proberDeploy?(artifacts: WorkloadArtifacts, tenantId: string): ProberDeploy | undefined;
  teardown(deployment: Deployment): Promise<void>;
  /** Readies `count` tenants ahead of a measured window, so that many deploys at once all find one (capability: a pre-created container pool, for bursts). */
  stageAhead?(artifacts: WorkloadArtifacts, count: number): Promise<void>;
  /** CPU seconds used so far by what serves these deployments (capability: load measurements). */
  cpuSeconds?(deployments: Deployment[]): Promise<number>;
  /** Memory of these deployments by every method that applies (capability: density measurements). */
  memory?(deployments: Deployment[]): Promise<MemoryReading[]>;
  /** The processes that serve these deployments, with the faults each host counted so far and its JS heap in use where it has one (capability: soak). */
  servingProcesses?(
    deployments: Deployment[],
  ): Promise<{ pid: number; faults?: number; heap?: { usedBytes: number; totalBytes: number; liveBytes?: number } }[]>;
  /**
   * The runtime's own floor for a workload's phases (capability), measured once per workload after
   * prepare(): e.g. a Wasm host instantiating the component back to back, bare and with a tenant's
   * contexts. Recorded beside the cold-start phases as `reference` samples.
   */
  reference?(artifacts: WorkloadArtifacts): Promise<ReferenceSeries[]>;
  /** Releases everything the driver still holds (hosts, tenants); safe to call twice. */
  dispose(): Promise<void>;
}

/** What kind of isolation a runtime gives its tenants: what claims compare (Wasm against containers, processes as the baseline). */
export type RuntimeFamily = 'container' | 'wasm' | 'process';

export interface RuntimeDescriptor<Options = unknown> {
  name: string;
  /** Claims, micro and the A/A self-test pick runtimes by family, never by name. */
  family: RuntimeFamily;
  /** One line for `--help`, `doctor` and the JSON Schema. */
  summary: string;
  /** What must be built for it. */
  artifacts: readonly ArtifactKind[];
  /** Its deploy phases in the order they happen, once-per-run set-up phases first. */
  phases: readonly string[];
  /** Its settings: the scenario's top-level key of the same name (with defaults). */
  options?: z.ZodType<Options>;
  /** Several ways to measure it in one run (each becomes a driver with that variant). */
  variants?(options: Options): string[] | undefined;
  /** Whether one variant works here (e.g. an OCI runtime the engine lacks); unavailable variants are skipped with the fix. */
  variantAvailable?(options: Options, variant: string | undefined): Promise<Availability>;
  /** It deploys a pipeline workload's stages as services of their own, calling each other over the network (else it runs the pipeline's one artifact: composed or linked). */
  stageServices?: boolean;
  /** It runs its tenants on a foreign platform under emulation (a scenario's `platforms`), from context.platform. */
  emulates?: boolean;
  /** Its host's own code is what `micro` times, in a process of its own that loads components as this host does. */
  microHost?: boolean;
  /** The setting (in its options) that delays every deploy by that many ms: where `coldbench aa --inject-slowdown` injects a known slowdown. */
  delaySetting?: string;
  /** Whether it works here; when not, the reason and the exact fix. */
  available(): Promise<Availability>;
  /** Further checks `doctor` prints under it (e.g. each OCI runtime a container engine can use). */
  checks?(): Promise<Check[]>;
  /** The driver, loaded on use (heavy modules are imported here, not at the top of the file). */
  create(context: RunContext, options: Options, variant?: string): Promise<RuntimeDriver>;
}

/** Helps TypeScript infer a descriptor's options type from its schema. */
export function defineRuntime<Options>(descriptor: RuntimeDescriptor<Options>): RuntimeDescriptor<Options> {
  return descriptor;
}
