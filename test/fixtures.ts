// Synthetic results for report and compare tests: every measurement kind, with chosen values.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Outcome, PROBES } from '../src/measure/capability-outcomes.js';
import type { RunResult, Sample } from '../src/results/types.js';
import { SCHEMA_VERSION } from '../src/results/types.js';
import { parseScenario } from '../src/scenario/load.js';
import { summarize } from '../src/stats/summarize.js';
import type { BuildRecord } from '../src/workloads/artifacts.js';

export interface FixtureOptions {
  hostname?: string;
  arch?: string;
  scenarioName?: string;
  workload?: string;
  /** Cold start totals are centred here, per runtime (ms). */
  coldStartMs?: Record<string, number>;
}

export function syntheticResult(options: FixtureOptions = {}): RunResult {
  const workload = options.workload ?? 'hello';
  const name = options.scenarioName ?? 'synthetic';
  const centres = options.coldStartMs ?? { docker: 120, wasm: 5, process: 80 };
  const samples: Sample[] = [];
  const add = (s: Omit<Sample, 'scenario' | 'workload'> & { workload?: string }) => samples.push({ scenario: name, workload, ...s });
  for (const [runtime, centre] of Object.entries(centres)) {
    for (let i = 0; i < 20; i++) {
      const jitter = 1 + (((i * 7919) % 21) - 10) / 100; // ±10%, deterministic
      add({ measurement: 'coldstart', runtime, tenants: 1, iteration: i, phase: 'total', metric: 'duration', unit: 'ms', value: centre * jitter });
      add({ measurement: 'coldstart', runtime, tenants: 1, iteration: i, phase: 'start', metric: 'duration', unit: 'ms', value: centre * jitter * 0.6 });
      add({
        measurement: 'coldstart',
        runtime,
        tenants: 1,
        iteration: i,
        phase: 'first-response',
        metric: 'duration',
        unit: 'ms',
        value: centre * jitter * 0.4,
      });
    }
    for (let pass = 0; pass < 3; pass++) {
      add({ measurement: 'load', runtime, tenants: 1, iteration: pass, model: 'closed', metric: 'throughput', unit: 'req/s', value: 10000 / centre + pass });
      add({ measurement: 'load', runtime, tenants: 1, iteration: pass, model: 'closed', metric: 'latency-p99', unit: 'ms', value: centre / 10 + pass });
      add({
        measurement: 'load',
        runtime,
        tenants: 1,
        iteration: pass,
        model: 'closed',
        metric: 'bottleneck',
        unit: 'category',
        value: 1,
        category: runtime === 'process' ? 'client-bound' : runtime === 'docker' ? 'server-bound' : 'neither saturated',
      });
    }
    for (const [step, tenants] of [1, 10, 100].entries()) {
      add({
        measurement: 'density',
        runtime,
        tenants,
        iteration: step,
        method: 'pss',
        metric: 'memory-per-tenant',
        unit: 'MiB',
        value: centre / 10 + 10 / tenants,
      });
    }
  }
  add({ measurement: 'probe-floor', workload: '-', runtime: null, tenants: 1, iteration: 0, phase: 'probe-floor', metric: 'duration', unit: 'ms', value: 0.6 });
  return {
    schemaVersion: SCHEMA_VERSION,
    runId: `${name}-run`,
    status: 'complete',
    startedAt: '2026-11-24T00:00:00Z',
    finishedAt: '2026-11-24T00:01:00Z',
    fingerprint: {
      hostname: options.hostname ?? 'bench-1',
      cpuModel: 'Test CPU',
      arch: options.arch ?? 'x64',
      cores: 2,
      memoryBytes: 24 * 2 ** 30,
      kernel: '6.1.0',
      os: 'Linux',
      node: 'v20.20.2',
      docker: 'Docker engine 20.10',
      jco: '1.35.0',
      componentizeJs: '0.23.0',
      preview2Shim: '0.26.0',
      gitSha: 'abc',
    },
    scenario: {
      ...parseScenario('fixture.yaml', 'name: fixture\nworkloads: [hello]\nruntimes: [docker]\nmeasurements: { coldstart: {} }\n'),
      workloads: [workload],
    },
    runtimes: [],
    artifacts: [
      {
        workload,
        builds: [
          {
            kind: 'server-app',
            language: 'js',
            hash: 'h',
            cached: false,
            buildMs: 1,
            sizes: { app: 3000 },
            dir: '/nowhere',
            files: [],
            command: [],
          } as BuildRecord,
          { kind: 'component', hash: 'h', cached: false, buildMs: 1, sizes: { component: 20000, 'core-modules': 16000 } },
        ],
      },
    ],
    samples,
    summaries: summarize(samples),
    densityRamps: Object.keys(centres).map((runtime) => ({
      workload,
      runtime,
      reachedTenants: 100,
      stop: { kind: 'last-step' as const, tenants: 100 },
      teardownMs: 10,
    })),
    warnings: [],
  };
}

export async function writeResult(dir: string, file: string, result: RunResult | Record<string, unknown>): Promise<string> {
  const path = join(dir, file);
  await writeFile(path, JSON.stringify(result));
  return path;
}

/** A synthetic run plus capability samples: per runtime, the probes that differ from "refused" and 0 variables. */
export function withProbes(byRuntime: Record<string, Partial<Record<string, Outcome | number>>>): RunResult {
  const result = syntheticResult();
  for (const [runtime, seen] of Object.entries(byRuntime)) {
    for (const { id } of PROBES) {
      const value = seen[id] ?? (id === 'env-vars' ? 0 : 'refused');
      result.samples.push({
        scenario: 'synthetic',
        measurement: 'capabilities',
        workload: 'capability-probe',
        runtime,
        tenants: 1,
        iteration: 0,
        metric: id,
        ...(typeof value === 'number' ? { unit: 'count', value } : { unit: 'category', value: 1, category: value }),
      });
    }
  }
  return result;
}

/** One cold-start total of hello on `runtime`: the sample a runner records per iteration. */
export function coldStartTotal(runtime: string, iteration: number, value: number): Sample {
  return { scenario: 's', measurement: 'coldstart', workload: 'hello', runtime, tenants: 1, iteration, phase: 'total', metric: 'duration', unit: 'ms', value };
}
