// Bursts and start rates, measured (how they read is in burst-read.ts): for each burst size K,
// K tenants started at once on each runtime (interleaved in shuffled order, repeated), each timed
// from the burst's start to its first expected response; then, when asked, tenants started at fixed
// rates in ascending order until a rate is not sustained. Everything a wave deployed is torn down
// before the next one, and on Ctrl-C or a failure.
import { setTimeout as sleep } from 'node:timers/promises';
import { quantile } from 'simple-statistics';
import { formatMs, plural } from '../format.js';
import { runtimeLabel } from '../results/identity.js';
import { driverContext, makeSample, runtimeIdentity, type SampleContext, tenantIdFor } from '../results/sample.js';
import type { Sample } from '../results/types.js';
import { timeoutScale } from '../runtimes/platform.js';
import type { Deployment, RuntimeDriver } from '../runtimes/types.js';
import { withTimeout } from '../timeout.js';
import { passOutcome, ratePhase } from './burst-figures.js';
import type { BurstOptions, StartRateOptions } from './burst-read.js';
import { runWave, type WaveStart } from './burst-wave.js';
import { runPool } from './pool.js';
import { shuffled } from './shuffle.js';
import type { MeasureContext, MeasurementRunner } from './types.js';

const TEARDOWN_CONCURRENCY = 16;
const TEARDOWN_TIMEOUT_MS = 60_000;

export const burstRunner: MeasurementRunner<BurstOptions> = {
  async run(context) {
    const { options } = context;
    const sizes = [...new Set(options.sizes)].sort((a, b) => a - b);
    const capped = new Set<string>();
    for (let round = 0; round < options.warmup; round++) {
      for (const driver of shuffled(context.drivers)) {
        context.signal.throwIfAborted();
        await wave(context, driver, { count: 1, intervalMs: 0, label: `w${round}` }, async () => {});
      }
    }
    for (let repetition = 0; repetition < options.repetitions; repetition++) {
      for (const size of sizes) {
        for (const driver of shuffled(context.drivers)) {
          context.signal.throwIfAborted();
          const cap = options.maxSizePerRuntime?.[driver.name];
          if (cap !== undefined && size > cap) {
            if (!capped.has(`${runtimeLabel(runtimeIdentity(driver))}\0${size}`)) await noteCap(context, driver, size, cap);
            capped.add(`${runtimeLabel(runtimeIdentity(driver))}\0${size}`);
            continue;
          }
          await burstOnce(context, driver, size, repetition);
        }
      }
    }
    if (options.startRate) await startRates(context, options.startRate);
  },
};

async function noteCap(context: MeasureContext<BurstOptions>, driver: RuntimeDriver, size: number, cap: number) {
  await context.onWarning({
    kind: 'note',
    runtime: driver.name,
    ...(driver.variant ? { variant: driver.variant } : {}),
    workload: context.artifacts.workload.name,
    message: `bursts of ${size} not measured on ${runtimeLabel(runtimeIdentity(driver))}: measurements.burst.maxSizePerRuntime.${driver.name} is ${cap}`,
  });
}

/** One wave, torn down afterwards whatever happens; `record` saves what it measured before the teardown. */
async function wave(
  context: MeasureContext<BurstOptions>,
  driver: RuntimeDriver,
  plan: { count: number; intervalMs: number; overloadMs?: number; label: string },
  record: (starts: WaveStart[]) => Promise<void>,
): Promise<void> {
  const deployments: Deployment[] = [];
  // A pre-created container pool is filled before the wave, outside its window.
  await driver.stageAhead?.(context.artifacts, plan.count);
  try {
    const starts = await runWave(
      driver,
      context.artifacts,
      {
        ...plan,
        timeoutMs: context.options.timeoutMs * timeoutScale(driver.platform),
        maxInFlight: context.options.maxInFlight,
        tenant: (i) => tenantIdFor(context.artifacts.workload.name, driver, `${plan.label}-${i}`),
      },
      deployments,
      context.signal,
    );
    context.signal.throwIfAborted();
    await record(starts);
  } finally {
    await tearDown(context, driver, deployments);
  }
  await sleep(context.options.settleMs, undefined, { signal: context.signal });
}

async function tearDown(context: MeasureContext<BurstOptions>, driver: RuntimeDriver, deployments: Deployment[]): Promise<void> {
  const outcome = await runPool(deployments.length, TEARDOWN_CONCURRENCY, (i) =>
    withTimeout(driver.teardown(deployments[i]!), TEARDOWN_TIMEOUT_MS, `a tenant's teardown took longer than ${TEARDOWN_TIMEOUT_MS / 1000} s`),
  );
  if (outcome.error && !context.signal.aborted) {
    await context.onWarning({
      kind: 'failed',
      runtime: driver.name,
      ...(driver.variant ? { variant: driver.variant } : {}),
      workload: context.artifacts.workload.name,
      message: `teardown stopped with ${deployments.length - outcome.done} tenants left (${outcome.error.message.split('\n')[0]}); \`coldbench clean\` removes them`,
    });
  }
}

/** Per deploy phase (and the deploy call itself), its median and its maximum over a wave's tenants: where a runtime queues starts. */
function phaseSamples(starts: WaveStart[], sample: (phase: string, metric: string, unit: string, value: number) => Sample): Sample[] {
  const byPhase = new Map<string, number[]>();
  const add = (phase: string, ms: number) => byPhase.set(phase, [...(byPhase.get(phase) ?? []), ms]);
  for (const s of starts) {
    if (s.deployMs !== undefined) add('deploy', s.deployMs);
    for (const p of s.phases) add(p.phase, p.ms);
  }
  return [...byPhase].flatMap(([phase, ms]) => [sample(phase, 'p50', 'ms', quantile(ms, 0.5)), sample(phase, 'max', 'ms', Math.max(...ms))]);
}

async function failureWarning(context: MeasureContext<BurstOptions>, driver: RuntimeDriver, starts: WaveStart[], what: string): Promise<void> {
  const failed = starts.filter((s) => s.ms === undefined);
  if (failed.length === 0) return;
  await context.onWarning({
    kind: 'failed',
    runtime: driver.name,
    ...(driver.variant ? { variant: driver.variant } : {}),
    workload: context.artifacts.workload.name,
    message: `${what}: ${failed.length} of ${starts.length} tenants did not answer (first: ${failed[0]!.error ?? 'no answer'})`,
  });
}

async function burstOnce(context: MeasureContext<BurstOptions>, driver: RuntimeDriver, size: number, repetition: number): Promise<void> {
  const workload = context.artifacts.workload.name;
  const sampleContext: SampleContext = driverContext(context.scenario, workload, driver);
  context.onProgress(`  ${workload} on ${runtimeLabel(runtimeIdentity(driver))}: burst of ${size} (${repetition + 1}/${context.options.repetitions})…`);
  await wave(context, driver, { count: size, intervalMs: 0, label: `b${size}-${repetition}` }, async (starts) => {
    const sample = (phase: string, metric: string, unit: string, value: number) =>
      makeSample(sampleContext, { measurement: 'burst', tenants: size, iteration: repetition, phase, metric, unit, value });
    const answered = starts.filter((s) => s.ms !== undefined).map((s) => s.ms!);
    const failed = starts.length - answered.length;
    const samples = [...answered.map((ms) => sample('first-response', 'latency', 'ms', ms)), sample('failed', 'tenants', 'count', failed)];
    // The time until the last answered: only when every tenant did.
    if (failed === 0 && answered.length) samples.push(sample('all-answered', 'duration', 'ms', Math.max(...answered)));
    samples.push(...phaseSamples(starts, sample));
    await context.onSamples(samples);
    await failureWarning(context, driver, starts, `a burst of ${size}`);
    context.onProgress(
      `  ${workload} on ${runtimeLabel(runtimeIdentity(driver))}: burst of ${size}: ${failed ? `${failed} failed` : `all answered within ${formatMs(Math.max(...answered))}`}`,
    );
  });
}

async function startRates(context: MeasureContext<BurstOptions>, options: StartRateOptions): Promise<void> {
  const workload = context.artifacts.workload.name;
  const keepingUp = new Set(context.drivers);
  for (const rate of [...new Set(options.rates)].sort((a, b) => a - b)) {
    for (const driver of shuffled([...keepingUp])) {
      context.signal.throwIfAborted();
      const count = Math.max(options.minStarts, Math.round(rate * options.durationSec));
      const sampleContext = driverContext(context.scenario, workload, driver);
      context.onProgress(`  ${workload} on ${runtimeLabel(runtimeIdentity(driver))}: ${plural(count, 'start')} at ${rate}/s…`);
      await wave(context, driver, { count, intervalMs: 1000 / rate, overloadMs: options.overloadMs, label: `r${rate}` }, async (starts) => {
        const { outcome, why } = passOutcome(starts, count, options);
        const sample = (metric: string, unit: string, value: number, category?: string) =>
          makeSample(sampleContext, { measurement: 'start-rate', tenants: count, iteration: 0, phase: ratePhase(rate), metric, unit, value, category });
        const answered = starts.filter((s) => s.ms !== undefined);
        const latencies = answered.map((s) => s.ms!);
        const samples = [sample('outcome', 'category', 1, outcome)];
        if (latencies.length) {
          const lastAnswer = Math.max(...answered.map((s) => s.intendedMs + s.ms!));
          samples.push(
            sample('first-response-p50', 'ms', quantile(latencies, 0.5)),
            sample('first-response-p99', 'ms', quantile(latencies, 0.99)),
            sample('first-response-max', 'ms', Math.max(...latencies)),
            sample('achieved-rate', '/s', latencies.length / (lastAnswer / 1000)),
          );
        }
        await context.onSamples(samples);
        await failureWarning(context, driver, starts, `${rate} starts/s`);
        context.onProgress(`  ${workload} on ${runtimeLabel(runtimeIdentity(driver))}: ${rate}/s ${outcome} (${why})`);
        if (outcome !== 'sustained') keepingUp.delete(driver);
      });
    }
  }
}
