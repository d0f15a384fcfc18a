// The results file: raw samples in long format (one measured value per row), summaries derived
// from them, and the fingerprint of the machine that measured them.
import type { Scenario } from '../scenario/schema.js';
import type { Fingerprint } from './fingerprint.js';
import type { BuildRecord } from '../workloads/artifacts.js';

export const SCHEMA_VERSION = 1;

export interface Sample {
  scenario: string;
  measurement: 'coldstart' | 'probe-floor' | 'setup' | 'load' | 'density';
  workload: string;
  runtime: string; // a runtime name, or "null" for the prober's floor
  tenants: number;
  iteration: number;
  phase: string;
  metric: string;
  unit: string;
  value: number;
}

export interface Summary {
  measurement: Sample['measurement'];
  workload: string;
  runtime: string;
  tenants: number;
  phase: string;
  metric: string;
  unit: string;
  n: number;
  mean: number;
  median: number;
  p95: number;
  min: number;
  max: number;
  /** 95% confidence interval of the median (distribution-free, from order statistics). */
  ci95: [number, number];
}

export interface RuntimeStatus {
  runtime: string;
  available: boolean;
  version?: string;
  reason?: string;
}

/** How one density ramp ended. */
export interface DensityRamp {
  workload: string;
  runtime: string;
  reachedTenants: number;
  stopReason: string;
  teardownMs: number;
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
  artifacts: { workload: string; builds: BuildRecord[] }[];
  samples: Sample[];
  summaries: Summary[];
  densityRamps: DensityRamp[];
  warnings: string[];
}
