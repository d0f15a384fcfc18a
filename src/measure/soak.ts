// Soak, measured: every runtime of the scenario at once, each with its well-behaved tenants (and a
// few faulty ones on Wasm hosts) under a steady open-model load for `durationSec`, recording per
// interval the serving processes' RSS, PSS and open fds, latency percentiles of the well-behaved
// requests, answered and failed ones, and the faults the host counted; then the end verdict.
// How it reads: soak-read.ts.
import { setMaxListeners } from 'node:events';
import { readdir, readFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { quantileSorted } from 'simple-statistics';
import { parse } from 'yaml';
import { formatNumber } from '../format.js';
import { httpRequest } from '../http-client.js';
import { PROJECT_ROOT } from '../paths.js';
import { runtimeLabel } from '../results/identity.js';
import { driverContext, makeSample, runtimeIdentity, tenantIdFor } from '../results/sample.js';
import { CATEGORY_UNIT, type Sample } from '../results/types.js';
import { runtimeDescriptor } from '../runtimes/registry.js';
import type { Deployment, RuntimeDriver } from '../runtimes/types.js';
import { processMemory } from '../sys/proc.js';
import type { WorkloadArtifacts } from '../workloads/artifacts.js';
import { buildWorkload } from '../workloads/build.js';
import { WorkloadSchema } from '../workloads/catalog.js';
import { runOpenLoop } from './open-loop.js';
import { runPool } from './pool.js';
import { untilAnswering } from './probe-tenant.js';
import { END_METRIC, type IntervalMetric, type MemoryReadings, memoryGrowthProblems, SOAK_MEASUREMENT, type SoakOptions, soakTenants } from './soak-read.js';
import type { MeasureContext, MeasurementRunner } from './types.js';

const MiB = 1024 * 1024;

export const soakRunner: MeasurementRunner<SoakOptions> = {
  async run(context) {
    // Every tenant deployed at once watches the run's signal while it starts.
    setMaxListeners(context.options.deployConcurrency * context.drivers.length + 10, context.signal);
    const faulty = context.options.faults.tenants > 0 && context.drivers.some(servesComponents) ? await faultArtifacts(context.options) : undefined;
    // All at once: an hour of soak is an hour, whatever the number of runtimes.
    const outcomes = await Promise.allSettled(context.drivers.map((driver) => soakOne(context, driver, servesComponents(driver) ? faulty : undefined)));
    const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    if (failed) throw failed.reason;
  },
};

const servesComponents = (driver: RuntimeDriver) => runtimeDescriptor(driver.name).artifacts.includes('component');

async function faultArtifacts(options: SoakOptions): Promise<WorkloadArtifacts> {
  const dir = isAbsolute(options.faults.workloadDir) ? options.faults.workloadDir : join(PROJECT_ROOT, options.faults.workloadDir);
  const text = await readFile(join(dir, 'workload.yaml'), 'utf8').catch(() => {
    throw new Error(`measurements.soak.faults.workloadDir: expected a workload folder with a workload.yaml, got ${dir}`);
  });
  const workload = { ...WorkloadSchema.parse(parse(text)), dir };
  return buildWorkload(workload, new Set(['component']));
}

interface Readings extends MemoryReadings {
  pssMiB: number;
  fds: number;
  faults?: number;
  /** The JS heap in use (hosts with a JS engine). */
  heapUsedMiB?: number;
}

/** The serving processes' memory and fds, and the faults their hosts counted so far. */
async function readServing(driver: RuntimeDriver, deployments: Deployment[]): Promise<Readings | undefined> {
  const serving = await driver.servingProcesses?.(deployments);
  if (!serving?.length) return undefined;
  const readings: Readings = { rssMiB: 0, pssMiB: 0, fds: 0 };
  for (const { pid, faults, heap } of serving) {
    const memory = await processMemory(pid);
    readings.rssMiB += memory.rssBytes / MiB;
    readings.pssMiB += memory.pssBytes / MiB;
    readings.fds += (await readdir(`/proc/${pid}/fd`)).length;
    if (faults !== undefined) readings.faults = (readings.faults ?? 0) + faults;
    if (heap) readings.heapUsedMiB = (readings.heapUsedMiB ?? 0) + heap.usedBytes / MiB;
    if (heap) readings.outsideHeapMiB = (readings.outsideHeapMiB ?? 0) + (memory.rssBytes - heap.totalBytes) / MiB;
    if (heap?.liveBytes !== undefined) readings.heapLiveMiB = (readings.heapLiveMiB ?? 0) + heap.liveBytes / MiB;
  }
  return readings;
}

async function deployAll(
  context: MeasureContext<SoakOptions>,
  driver: RuntimeDriver,
  artifacts: WorkloadArtifacts,
  count: number,
  prefix: string,
): Promise<Deployment[]> {
  const deployments: Deployment[] = [];
  const request = artifacts.workload.requests[0]!;
  const outcome = await runPool(
    count,
    context.options.deployConcurrency,
    async (i) => {
      const deployment = await driver.deploy(artifacts, tenantIdFor(artifacts.workload.name, driver, `${prefix}-${i}`));
      deployments.push(deployment);
      await untilAnswering(deployment, request, 30_000, context.signal);
    },
    () => context.signal.aborted,
  );
  context.signal.throwIfAborted();
  if (outcome.error)
    throw new Error(`soak on ${runtimeLabel(runtimeIdentity(driver))}: deploying tenant ${outcome.done + 1} of ${count}: ${outcome.error.message}`);
  return deployments;
}

/** Sends `count` faulty requests at random moments within `windowMs`; returns how many were sent. */
async function sendFaults(faulty: Deployment[], paths: string[], count: number, windowMs: number, signal: AbortSignal): Promise<number> {
  if (!faulty.length || count === 0) return 0;
  const at = Array.from({ length: count }, () => Math.random() * windowMs * 0.8).sort((a, b) => a - b);
  let sent = 0;
  const started = Date.now();
  const pending: Promise<unknown>[] = [];
  for (const offset of at) {
    await sleep(Math.max(0, started + offset - Date.now()), undefined, { signal }).catch(() => undefined);
    if (signal.aborted) break;
    const tenant = faulty[Math.floor(Math.random() * faulty.length)]!;
    const path = paths[Math.floor(Math.random() * paths.length)]!;
    sent++;
    // Its answer is a 500 (or a timeout): what counts is the host's fault counter and the others' answers.
    pending.push(httpRequest(new URL(tenant.baseUrl + path), { timeoutMs: 60_000 }).catch(() => undefined));
  }
  await Promise.all(pending);
  return sent;
}

async function soakOne(context: MeasureContext<SoakOptions>, driver: RuntimeDriver, faultyArtifacts: WorkloadArtifacts | undefined): Promise<void> {
  const { options, artifacts, signal } = context;
  const label = runtimeLabel(runtimeIdentity(driver));
  const tenants = soakTenants(options, driver.name);
  const request = artifacts.workload.requests[0]!;
  const sampleContext = driverContext(context.scenario, artifacts.workload.name, driver);
  const sample = (iteration: number, fields: Pick<Sample, 'metric' | 'unit' | 'value' | 'category'>) =>
    makeSample(sampleContext, { measurement: SOAK_MEASUREMENT, tenants, iteration, model: 'open', ...fields });

  const started = Date.now();
  const wellBehaved = await deployAll(context, driver, artifacts, tenants, 'soak');
  const faulty = faultyArtifacts ? await deployAll(context, driver, faultyArtifacts, options.faults.tenants, 'soak-faulty') : [];
  const all = [...wellBehaved, ...faulty];
  context.onProgress(
    `  soak on ${label}: ${tenants} tenants${faulty.length ? ` and ${faulty.length} faulty` : ''} deployed in ${formatNumber((Date.now() - started) / 1000)} s`,
  );
  try {
    const urls = wellBehaved.map((d) => d.baseUrl + request.path);
    const intervals = Math.ceil(options.durationSec / options.intervalSec);
    let faultsBefore = (await readServing(driver, all))?.faults;
    const memory: Readings[] = [];
    let failedTotal = 0;
    // Intervals start on a fixed schedule, each while the one before may still await its last
    // answers: the load never pauses, and a host that falls behind shows it in every figure.
    const loadStarted = Date.now();
    const recorded: Promise<void>[] = [];
    for (let i = 0; i < intervals && !signal.aborted; i++) {
      await sleep(Math.max(0, loadStarted + i * options.intervalSec * 1000 - Date.now()), undefined, { signal }).catch(() => undefined);
      if (signal.aborted) break;
      const seconds = Math.min(options.intervalSec, options.durationSec - i * options.intervalSec);
      const pass = runOpenLoop({
        urls,
        method: request.method,
        body: request.body,
        headers: request.headers,
        ratePerSec: options.ratePerSec,
        durationSec: seconds,
        connections: options.connections,
        timeoutMs: options.timeoutMs,
      });
      const faultRequests = sendFaults(faulty, options.faults.paths, options.faults.perInterval, seconds * 1000, signal);
      // The serving processes are read when the interval's sending ends, in order, interval by interval.
      await sleep(seconds * 1000, undefined, { signal }).catch(() => undefined);
      const readings = await readServing(driver, all);
      const faults = readings?.faults !== undefined && faultsBefore !== undefined ? readings.faults - faultsBefore : undefined;
      faultsBefore = readings?.faults;
      if (readings) memory.push(readings);
      recorded.push(
        Promise.all([pass, faultRequests]).then(async ([answered, sent]) => {
          const sorted = answered.latenciesMs.sort((a, b) => a - b);
          const at = (p: number) => (sorted.length ? quantileSorted(sorted, p) : 0);
          const failed = answered.non2xx + answered.errors + answered.timeouts;
          failedTotal += failed;
          const values: [IntervalMetric, string, number][] = [
            ['latency-p50', 'ms', at(0.5)],
            ['latency-p99', 'ms', at(0.99)],
            ['latency-max', 'ms', sorted.at(-1) ?? 0],
            ['answered', 'count', sorted.length],
            ['failed', 'count', failed],
            ['fault-requests', 'count', sent],
            ['client-lag', 'ms', answered.maxLagMs],
          ];
          if (readings) values.push(['host-rss', 'MiB', readings.rssMiB], ['host-pss', 'MiB', readings.pssMiB], ['open-fds', 'count', readings.fds]);
          if (readings?.heapUsedMiB !== undefined) values.push(['host-heap-used', 'MiB', readings.heapUsedMiB]);
          if (readings?.heapLiveMiB !== undefined) values.push(['host-heap-live', 'MiB', readings.heapLiveMiB]);
          if (readings?.outsideHeapMiB !== undefined) values.push(['host-rss-outside-heap', 'MiB', readings.outsideHeapMiB]);
          if (faults !== undefined) values.push(['faults', 'count', faults]);
          await context.onSamples(values.map(([metric, unit, value]) => sample(i, { metric, unit, value })));
          context.onProgress(
            `  soak on ${label}, interval ${i + 1}/${intervals}: ${sorted.length} answered, ${failed} failed, p99 ${formatNumber(at(0.99))} ms${readings ? `, RSS ${formatNumber(readings.rssMiB)} MiB, ${readings.fds} fds` : ''}`,
          );
        }),
      );
    }
    await Promise.all(recorded);
    signal.throwIfAborted();
    const problems: string[] = [];
    if (failedTotal > 0) problems.push(`${failedTotal} well-behaved requests failed`);
    problems.push(...memoryGrowthProblems(memory, options.maxGrowthMiB));
    const end = problems.length ? `failed: ${problems.join('; ')}` : 'passed';
    await context.onSamples([sample(intervals, { metric: END_METRIC, unit: CATEGORY_UNIT, value: 1, category: end })]);
    if (problems.length) {
      await context.onWarning({ kind: 'failed', workload: artifacts.workload.name, ...runtimeIdentity(driver), message: `soak on ${label}: ${end}` });
    }
  } finally {
    await runPool(all.length, options.deployConcurrency, (i) => driver.teardown(all[i]!).catch(() => undefined));
  }
}
