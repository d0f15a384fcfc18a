// Density, measured: add tenants in steps until the last step, a tenant cap, a memory budget, a time limit
// or the first failure. At each step record memory per tenant by every method the runtime offers
// (plus the host's MemAvailable drop), the deploy times of the tenants added, a sweep of one
// request to every tenant, and the host's idle CPU. Then tear everything down, timed.
// The clock, the sleep and the host readers are injected, so the ramp logic tests without a host.
// How the samples and ramps read is in density-read.ts.
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { quantileSorted } from 'simple-statistics';
import { formatNumber, plural } from '../format.js';
import { httpRequest } from '../http-client.js';
import { runtimeLabel } from '../results/identity.js';
import { driverContext, makeSample, runtimeIdentity, type SampleContext, tenantIdFor } from '../results/sample.js';
import type { DensityRamp, Sample, StopReason } from '../results/types.js';
import { timeoutScale } from '../runtimes/platform.js';
import { TENANT_PORTS } from '../runtimes/ports.js';
import type { Deployment, MemoryReading, RuntimeDriver } from '../runtimes/types.js';
import { type HostReaders, hostLimits } from '../sys/host.js';
import { withTimeout } from '../timeout.js';
import { whichLimit } from './density-limits.js';
import { type DensityOptions, describeStop } from './density-read.js';
import { runPool } from './pool.js';
import { untilAnswering } from './probe-tenant.js';
import type { MeasureContext, MeasurementRunner } from './types.js';

const MiB = 1024 * 1024;

/** What the ramp needs from its surroundings; tests hand in their own. */
export interface RampEnvironment {
  host: HostReaders;
  now(): number;
  sleep(ms: number): Promise<void>;
  /** A tenant's teardown that takes longer means the runtime stopped answering: stop waiting for it. */
  teardownTimeoutMs: number;
}

const liveEnvironment = (host: HostReaders): RampEnvironment => ({ host, now: () => performance.now(), sleep: (ms) => sleep(ms), teardownTimeoutMs: 60_000 });

export const densityRunner: MeasurementRunner<DensityOptions> = {
  async run(context) {
    const environment = liveEnvironment(context.host);
    for (const driver of context.drivers) {
      context.signal.throwIfAborted();
      await rampOnce(context, driver, environment);
    }
  },
};

/** One ramp of one runtime; exported for tests, which pass their own environment. */
export async function rampOnce(context: MeasureContext<DensityOptions>, driver: RuntimeDriver, environment: RampEnvironment): Promise<void> {
  const { artifacts, options } = context;
  const { host } = environment;
  const workload = artifacts.workload.name;
  const cap = Math.min(options.maxTenants ?? Infinity, options.maxTenantsPerRuntime?.[driver.name] ?? Infinity);
  const budgetMiB = options.memoryBudgetMiB ?? Math.floor((0.8 * (await host.memTotalBytes())) / MiB);
  const targets = [...new Set(options.steps.map((step) => Math.min(step, cap)))].sort((a, b) => a - b);
  const deployments: Deployment[] = [];
  // Let the previous ramp's teardown finish freeing memory before the baseline is read.
  await environment.sleep(options.settleMs);
  const started = environment.now();
  const availableAtStart = await host.memAvailableBytes();
  const baseline = (await driver.memory?.([])) ?? [];
  let stop: StopReason | undefined;

  const overBudget = async () => (availableAtStart - (await host.memAvailableBytes())) / MiB > budgetMiB;
  const timeLimitSec = options.timeLimitSecPerRuntime?.[driver.name] ?? options.timeLimitSec;
  const overTime = () => (environment.now() - started) / 1000 > timeLimitSec;
  const sampleContext = driverContext(context.scenario, workload, driver);

  try {
    for (const [stepIndex, target] of targets.entries()) {
      const before = deployments.length;
      const deployMs: number[] = [];
      let budgetHit = false;
      const outcome = await runPool(
        target - before,
        options.concurrency,
        async (i) => {
          const t0 = environment.now();
          const deployment = await driver.deploy(artifacts, tenantIdFor(workload, driver, `d${before + i}`));
          deployments.push(deployment);
          await untilAnswering(deployment, artifacts.workload.requests[0]!, 30000 * timeoutScale(driver.platform), context.signal);
          deployMs.push(environment.now() - t0);
          // Checking the budget every few deploys keeps a ramp from overshooting it by a whole step.
          if ((before + i) % options.concurrency === 0 && (await overBudget())) budgetHit = true;
        },
        () => budgetHit || overTime() || context.signal.aborted,
      );
      context.signal.throwIfAborted();

      const tenants = deployments.length;
      if (tenants > before) {
        await environment.sleep(options.settleMs);
        const timeToN = environment.now() - started;
        try {
          const samples = await stepSamples(context, sampleContext, driver, deployments, deployMs, baseline, availableAtStart, stepIndex, environment);
          // Time to N: from the ramp's start to N tenants answering, at this deploy concurrency.
          const deployFact = (metric: string, unit: string, value: number) =>
            makeSample(sampleContext, { measurement: 'density', tenants, iteration: stepIndex, phase: 'deploy', metric, unit, value });
          samples.push(deployFact('time-to-n', 'ms', timeToN), deployFact('deploy-concurrency', 'count', options.concurrency));
          await context.onSamples(samples);
        } catch (error) {
          context.signal.throwIfAborted();
          stop = { kind: 'failure', tenants, during: 'step-reading', error: firstLine(error) };
          break;
        }
        context.onProgress(`  ${workload} on ${runtimeLabel(sampleContext)}: ${plural(tenants, 'tenant')}`);
      }
      if (outcome.error) {
        stop = { kind: 'failure', tenants, during: 'deploy', error: firstLine(outcome.error) };
        break;
      }
      if (budgetHit || (await overBudget())) {
        stop = { kind: 'memory-budget', tenants, budgetMiB };
        break;
      }
      if (overTime()) {
        stop = { kind: 'time-limit', tenants, limitSec: timeLimitSec };
        break;
      }
    }
    stop ??= cap < Math.max(...options.steps) ? { kind: 'tenant-cap', tenants: deployments.length } : { kind: 'last-step', tenants: deployments.length };
  } finally {
    const reachedTenants = deployments.length;
    const limits = await hostLimits(TENANT_PORTS).catch(() => undefined);
    if (context.signal.aborted) stop = { kind: 'interrupted', tenants: reachedTenants };
    if (stop?.kind === 'failure') {
      const limit = whichLimit(stop.error, limits);
      if (limit) stop = { ...stop, limit };
    }
    stop ??= { kind: 'unknown', tenants: reachedTenants, text: 'ended by an error' };
    // Saved before the teardown, so a teardown that hangs (an engine that stopped answering) loses nothing.
    const ramp: DensityRamp = {
      workload,
      ...runtimeIdentity(driver),
      reachedTenants,
      stop,
      ...(limits ? { limits } : {}),
    };
    await context.onRamp(ramp);
    context.onProgress(`  ${workload} on ${runtimeLabel(sampleContext)}: ${describeStop(stop, limits)}; tearing down ${reachedTenants}…`);
    const teardownStarted = environment.now();
    const teardown = await runPool(deployments.length, options.concurrency, async (i) =>
      withTimeout(
        driver.teardown(deployments[i]!),
        environment.teardownTimeoutMs,
        `a tenant's teardown took longer than ${environment.teardownTimeoutMs / 1000} s`,
      ),
    );
    ramp.teardownMs = environment.now() - teardownStarted;
    if (teardown.error) ramp.teardownLeft = { tenants: deployments.length - teardown.done, error: firstLine(teardown.error) };
    await context.onRamp(ramp);
    context.onProgress(
      ramp.teardownLeft
        ? `  ${workload} on ${runtimeLabel(sampleContext)}: teardown stopped with ${ramp.teardownLeft.tenants} tenants left (${ramp.teardownLeft.error}); \`coldbench clean\` removes them`
        : `  ${workload} on ${runtimeLabel(sampleContext)}: teardown of ${reachedTenants} in ${formatNumber(ramp.teardownMs / 1000)} s`,
    );
  }
}

/** A memory method that cannot be read here: one warning per method and ramp, no sample. */
const warned = new WeakMap<object, Set<string>>();
async function warnSkipped(
  context: MeasureContext<DensityOptions>,
  sampleContext: SampleContext,
  driver: RuntimeDriver,
  method: string,
  reason: string,
): Promise<void> {
  const seen = warned.get(sampleContext) ?? new Set<string>();
  warned.set(sampleContext, seen);
  if (seen.has(method)) return;
  seen.add(method);
  await context.onWarning({
    kind: 'reading-skipped',
    workload: sampleContext.workload,
    ...runtimeIdentity(driver),
    message: `${sampleContext.workload} density on ${runtimeLabel(runtimeIdentity(driver))}: memory method ${method} skipped (${reason})`,
  });
}

function firstLine(error: unknown): string {
  return ((error as Error).message ?? String(error)).split('\n')[0]!;
}

async function stepSamples(
  context: MeasureContext<DensityOptions>,
  sampleContext: SampleContext,
  driver: RuntimeDriver,
  deployments: Deployment[],
  deployMs: number[],
  baseline: MemoryReading[],
  availableAtStart: number,
  iteration: number,
  environment: RampEnvironment,
): Promise<Sample[]> {
  const tenants = deployments.length;
  const sample = (fields: { method?: string; phase?: string; metric: string; unit: string; value: number }): Sample =>
    makeSample(sampleContext, { measurement: 'density', tenants, iteration, ...fields });
  const samples: Sample[] = [];
  for (const reading of (await driver.memory?.(deployments)) ?? []) {
    if (reading.skipped) {
      await warnSkipped(context, sampleContext, driver, reading.method, reading.skipped);
      continue;
    }
    const base = reading.sharedBase ? (baseline.find((b) => b.method === reading.method)?.bytes ?? 0) : 0;
    samples.push(
      sample({
        method: reading.sharedBase ? `${reading.method}-growth` : reading.method,
        metric: 'memory-per-tenant',
        unit: 'MiB',
        value: (reading.bytes - base) / tenants / MiB,
      }),
    );
  }
  samples.push(
    sample({
      method: 'host-memavailable-drop',
      metric: 'memory-per-tenant',
      unit: 'MiB',
      value: (availableAtStart - (await environment.host.memAvailableBytes())) / tenants / MiB,
    }),
  );

  const sortedDeploys = [...deployMs].sort((a, b) => a - b);
  if (sortedDeploys.length) {
    samples.push(sample({ phase: 'deploy', metric: 'deploy-time-p50', unit: 'ms', value: quantileSorted(sortedDeploys, 0.5) }));
    samples.push(sample({ phase: 'deploy', metric: 'deploy-time-max', unit: 'ms', value: sortedDeploys[sortedDeploys.length - 1]! }));
    samples.push(sample({ phase: 'deploy', metric: 'start-time-last-tenant', unit: 'ms', value: deployMs[deployMs.length - 1]! }));
  }

  const sweep: number[] = [];
  const request = context.artifacts.workload.requests[0]!;
  for (const deployment of deployments) {
    const t0 = environment.now();
    await httpRequest(new URL(deployment.baseUrl + request.path), {
      method: request.method,
      body: request.body,
      headers: request.headers,
      signal: context.signal,
    });
    sweep.push(environment.now() - t0);
  }
  sweep.sort((a, b) => a - b);
  samples.push(sample({ phase: 'sweep', metric: 'sweep-latency-p50', unit: 'ms', value: quantileSorted(sweep, 0.5) }));
  samples.push(sample({ phase: 'sweep', metric: 'sweep-latency-p99', unit: 'ms', value: quantileSorted(sweep, 0.99) }));

  const cpuBefore = await environment.host.busyCpuSeconds();
  await environment.sleep(1000);
  const idleCores = (await environment.host.busyCpuSeconds()) - cpuBefore;
  samples.push(sample({ phase: 'idle', metric: 'host-busy-cpu', unit: 'cores', value: idleCores }));
  samples.push(sample({ phase: 'idle', metric: 'idle-cpu-per-tenant', unit: 'cores', value: idleCores / tenants }));
  return samples;
}
