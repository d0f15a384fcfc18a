// The contract every runtime driver keeps. The runner and the conformance suite only see this.
import type { RuntimeName } from '../scenario/schema.js';
import type { WorkloadArtifacts } from '../workloads/artifacts.js';

export type Availability = { available: true; version?: string } | { available: false; reason: string; fix: string };

/** A timed step of a deploy, in milliseconds (e.g. docker create, process spawn, wasm instantiate). */
export interface PhaseTiming {
  phase: string;
  ms: number;
}

export interface Deployment {
  runtime: RuntimeName;
  tenantId: string;
  /** http://127.0.0.1:PORT[/prefix]: a workload request path is appended to it. */
  baseUrl: string;
  /** Phases timed inside deploy(), in the order they happened. */
  phases: PhaseTiming[];
}

/** Memory that deployments cost, by one named method, summed over the deployments given. */
export interface MemoryReading {
  method: string;
  bytes: number;
  /** Includes a base that does not grow with tenants (a shared host): per-tenant figures subtract the zero-tenant reading. */
  sharedBase?: boolean;
}

export interface RunContext {
  runId: string;
  /** CPUs the servers are pinned to (cpuset / taskset list such as "0"), when CPU isolation is on. */
  serverCpus?: string;
}

export interface RuntimeDriver {
  readonly name: RuntimeName;
  available(): Promise<Availability>;
  /** One-time set-up for a workload before its tenants are deployed; returns phases worth recording. */
  prepare?(artifacts: WorkloadArtifacts): Promise<PhaseTiming[]>;
  deploy(artifacts: WorkloadArtifacts, tenantId: string): Promise<Deployment>;
  teardown(deployment: Deployment): Promise<void>;
  /** CPU seconds used so far by what serves these deployments (capability: load measurements). */
  cpuSeconds?(deployments: Deployment[]): Promise<number>;
  /** Memory of these deployments by every method that applies (capability: density measurements). */
  memory?(deployments: Deployment[]): Promise<MemoryReading[]>;
  /** Releases everything the driver still holds (hosts, tenants); safe to call twice. */
  dispose(): Promise<void>;
}
