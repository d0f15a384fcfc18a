// Density: add tenants in steps until the last step, a tenant cap, a memory budget, a time limit
// or the first failure. At each step record memory per tenant by every method the runtime offers
// (plus the host's MemAvailable drop), the deploy times of the tenants added, a sweep of one
// request to every tenant, and the host's idle CPU. Then tear everything down, timed.
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { quantileSorted } from 'simple-statistics';
import type { DensityOptions } from '../scenario/schema.js';
import type { Deployment, MemoryReading, RuntimeDriver } from '../runtimes/types.js';
import type { WorkloadArtifacts } from '../workloads/artifacts.js';
import type { DensityRamp, Sample } from '../results/types.js';
import { hostBusyCpuSeconds, memAvailableBytes } from '../sys/host-memory.js';
import { httpRequest } from './http-get.js';
import { probeFirstResponse } from './probe.js';
import { runPool } from './pool.js';

const MiB = 1024 * 1024;

export interface DensityPlan {
  scenario: string;
  artifacts: WorkloadArtifacts;
  drivers: RuntimeDriver[];
  options: DensityOptions;
  onSamples: (samples: Sample[]) => Promise<void>;
  onRamp: (ramp: DensityRamp) => Promise<void>;
  onProgress?: (line: string) => void;
  signal: AbortSignal;
}

export async function measureDensity(plan: DensityPlan): Promise<void> {
  for (const driver of plan.drivers) {
    plan.signal.throwIfAborted();
    await ramp(plan, driver);
  }
}

async function ramp(plan: DensityPlan, driver: RuntimeDriver): Promise<void> {
  const { artifacts, options } = plan;
  const workload = artifacts.workload.name;
  const cap = Math.min(options.maxTenants, options.maxTenantsPerRuntime?.[driver.name] ?? Infinity);
  const targets = [...new Set(options.steps.map((step) => Math.min(step, cap)))].sort((a, b) => a - b);
  const deployments: Deployment[] = [];
  // Let the previous ramp's teardown finish freeing memory before the baseline is read.
  await sleep(options.settleMs);
  const started = performance.now();
  const availableAtStart = await memAvailableBytes();
  const baseline = (await driver.memory?.([])) ?? [];
  let stopReason = `reached the last step (${targets[targets.length - 1]} tenants)`;
  if (cap < Math.max(...options.steps)) stopReason = `reached the tenant cap (${cap})`;

  const overBudget = async () =>
    options.memoryBudgetMiB !== undefined && (availableAtStart - (await memAvailableBytes())) / MiB > options.memoryBudgetMiB;
  const overTime = () => (performance.now() - started) / 1000 > options.timeLimitSec;

  try {
    for (const [stepIndex, target] of targets.entries()) {
      const before = deployments.length;
      const deployMs: number[] = [];
      let budgetHit = false;
      const outcome = await runPool(target - before, options.concurrency, async (i) => {
        const t0 = performance.now();
        const deployment = await driver.deploy(artifacts, `${workload}-${driver.name}-d${before + i}`);
        deployments.push(deployment);
        await probeFirstResponse(deployment.baseUrl, artifacts.workload.requests[0]!, 30000);
        deployMs.push(performance.now() - t0);
        // Checking the budget every few deploys keeps a ramp from overshooting it by a whole step.
        if ((before + i) % options.concurrency === 0 && (await overBudget())) budgetHit = true;
      }, () => budgetHit || overTime() || plan.signal.aborted);
      plan.signal.throwIfAborted();

      const tenants = deployments.length;
      if (tenants > before) {
        await sleep(options.settleMs);
        await plan.onSamples(await stepSamples(plan, driver, deployments, deployMs, baseline, availableAtStart, stepIndex));
        plan.onProgress?.(`  ${workload} on ${driver.name}: ${tenants} tenants`);
      }
      if (outcome.error) {
        stopReason = `first failure at ${tenants + 1} tenants: ${outcome.error.message.split('\n')[0]}`;
        break;
      }
      if (budgetHit || (await overBudget())) {
        stopReason = `memory budget (${options.memoryBudgetMiB} MiB of MemAvailable) used at ${tenants} tenants`;
        break;
      }
      if (overTime()) {
        stopReason = `time limit (${options.timeLimitSec} s) at ${tenants} tenants`;
        break;
      }
    }
  } finally {
    const reachedTenants = deployments.length;
    const teardownStarted = performance.now();
    await runPool(deployments.length, options.concurrency, async (i) => driver.teardown(deployments[i]!));
    const teardownMs = performance.now() - teardownStarted;
    await plan.onRamp({ workload, runtime: driver.name, reachedTenants, stopReason: plan.signal.aborted ? 'interrupted' : stopReason, teardownMs });
    plan.onProgress?.(`  ${workload} on ${driver.name}: ${stopReason}; teardown of ${reachedTenants} in ${(teardownMs / 1000).toFixed(1)} s`);
  }
}

async function stepSamples(
  plan: DensityPlan, driver: RuntimeDriver, deployments: Deployment[], deployMs: number[],
  baseline: MemoryReading[], availableAtStart: number, iteration: number,
): Promise<Sample[]> {
  const tenants = deployments.length;
  const sample = (phase: string, metric: string, unit: string, value: number): Sample => ({
    scenario: plan.scenario, measurement: 'density', workload: plan.artifacts.workload.name, runtime: driver.name,
    tenants, iteration, phase, metric, unit, value,
  });
  const samples: Sample[] = [];
  for (const reading of (await driver.memory?.(deployments)) ?? []) {
    const base = reading.sharedBase ? (baseline.find((b) => b.method === reading.method)?.bytes ?? 0) : 0;
    samples.push(sample(reading.sharedBase ? `${reading.method}-growth` : reading.method, 'memory-per-tenant', 'MiB', (reading.bytes - base) / tenants / MiB));
  }
  samples.push(sample('host-memavailable-drop', 'memory-per-tenant', 'MiB', (availableAtStart - (await memAvailableBytes())) / tenants / MiB));

  const sortedDeploys = [...deployMs].sort((a, b) => a - b);
  if (sortedDeploys.length) {
    samples.push(sample('deploy', 'deploy-time-p50', 'ms', quantileSorted(sortedDeploys, 0.5)));
    samples.push(sample('deploy', 'deploy-time-max', 'ms', sortedDeploys[sortedDeploys.length - 1]!));
    samples.push(sample('deploy', 'start-time-last-tenant', 'ms', deployMs[deployMs.length - 1]!));
  }

  const sweep: number[] = [];
  const request = plan.artifacts.workload.requests[0]!;
  for (const deployment of deployments) {
    const t0 = performance.now();
    await httpRequest(new URL(deployment.baseUrl + request.path), request.method, request.body);
    sweep.push(performance.now() - t0);
  }
  sweep.sort((a, b) => a - b);
  samples.push(sample('sweep', 'sweep-latency-p50', 'ms', quantileSorted(sweep, 0.5)));
  samples.push(sample('sweep', 'sweep-latency-p99', 'ms', quantileSorted(sweep, 0.99)));

  const cpuBefore = await hostBusyCpuSeconds();
  await sleep(1000);
  samples.push(sample('idle', 'host-busy-cpu', 'cores', (await hostBusyCpuSeconds()) - cpuBefore));
  return samples;
}
