// `coldbench run`: scenario in, one results file out. The pipeline reads top to bottom: validate,
// sweep leftovers, check runtimes, build, verify, then every measurement of the registry that the
// scenario asks for, saving after every unit, then the terminal summary.

import { randomBytes } from 'node:crypto';
import { cpus } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { UserError } from '../errors.js';
import { plural } from '../format.js';
import { onImmediateExit, onShutdown, runCleanups, shutdownSignal } from '../lifecycle.js';
import { measurementKinds } from '../measure/registry.js';
import { verifyRuntime } from '../measure/verify.js';
import { renderReport } from '../report/page.js';
import { fingerprint } from '../results/fingerprint.js';
import { runtimeLabel } from '../results/identity.js';
import { ResultsRecorder } from '../results/recorder.js';
import { driverContext, makeSample, runtimeIdentity } from '../results/sample.js';
import { type Sample, SCHEMA_VERSION } from '../results/types.js';
import { checkWritableDirectory } from '../results/write.js';
import { type Platform, preparePlatform, timeoutScale } from '../runtimes/platform.js';
import { startReaper } from '../runtimes/reaper.js';
import type { Arm } from '../runtimes/select.js';
import { artifactKinds, availableDrivers } from '../runtimes/select.js';
import { sweepLeftovers } from '../runtimes/sweep.js';
import type { RuntimeDriver } from '../runtimes/types.js';
import { loadScenario } from '../scenario/load.js';
import type { Scenario } from '../scenario/schema.js';
import { liveHost } from '../sys/host.js';
import { cpuGovernor, measurementPids, noiseBetween, noiseSnapshot } from '../sys/noise.js';
import { withTimeout } from '../timeout.js';
import type { WorkloadArtifacts } from '../workloads/artifacts.js';
import { buildWorkload } from '../workloads/build.js';
import { loadWorkload } from '../workloads/catalog.js';
import { writeReport } from './report.js';
import { parseRuntimeList } from './runtime-list.js';

const DISPOSE_TIMEOUT_MS = 60_000;

export interface RunOptions {
  scenarioFile: string;
  outDir: string;
  runtimes?: string;
  iterations?: string;
  maxTenants?: string;
  report?: string;
  /** Deploy every runtime once per arm, interleaved, each arm with its own runtime settings (`coldbench aa`). */
  arms?: Arm[];
}

export async function runCommand(options: RunOptions): Promise<number> {
  const scenario = applyOverrides(await loadScenario(options.scenarioFile), options);
  await checkWritableDirectory('--out', options.outDir);
  if (options.report) await checkWritableDirectory('--report', dirname(resolve(options.report)));
  const runId = `${scenario.name}-${new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '')}-${randomBytes(2).toString('hex')}`;
  const log = (line: string) => console.log(line);

  const swept = await sweepLeftovers('orphans');
  startReaper(runId); // removes what this run leaves if it is killed with -9
  if (swept.containers || swept.processes)
    log(`removed ${plural(swept.containers, 'container')} and ${plural(swept.processes, 'process', 'processes')} left by an earlier run`);

  const kinds = measurementKinds().filter((k) => scenario.measurements[k.name] !== undefined);
  const isolation = cpuIsolation(scenario, log);
  const platforms = await preparePlatforms(scenario, log);
  const { drivers, statuses } = await availableDrivers(scenario.runtimes, { runId, serverCpus: isolation?.serverCpus }, scenario, log, options.arms, platforms);
  if (drivers.length === 0) throw new UserError('no runtime of this scenario is available (see `coldbench doctor`)', 1);

  const recorder = new ResultsRecorder(join(resolve(options.outDir), `${runId}.json`), {
    schemaVersion: SCHEMA_VERSION,
    runId,
    status: 'running',
    startedAt: new Date().toISOString(),
    fingerprint: await fingerprint(statuses),
    scenario,
    runtimes: statuses,
    artifacts: [],
    samples: [],
    summaries: [],
    densityRamps: [],
    warnings: [],
  });
  for (const status of statuses.filter((s) => !s.available)) {
    recorder.result.warnings.push({ kind: 'runtime-skipped', runtime: status.runtime, message: `${status.runtime} is not available here: ${status.reason}` });
  }
  onShutdown(async () => {
    // An engine that stopped answering must not keep the run from ending: `clean` removes the rest.
    const disposed = await withTimeout(Promise.allSettled(drivers.map((d) => d.dispose())), DISPOSE_TIMEOUT_MS, 'timed out').catch(() => undefined);
    const failed = disposed?.flatMap((outcome, i) => (outcome.status === 'rejected' ? [`${drivers[i]!.name}: ${(outcome.reason as Error).message}`] : []));
    if (!disposed)
      console.error(
        `coldbench run: the runtimes did not release their tenants within ${DISPOSE_TIMEOUT_MS / 1000} s (is the engine answering?); \`coldbench clean\` removes what is left`,
      );
    else if (failed!.length) console.error(`coldbench run: could not remove every tenant (${failed!.join('; ')})`);
  });
  onImmediateExit(() =>
    recorder.finishNow(
      `${(shutdownSignal.reason as Error | undefined)?.message ?? 'interrupted'}, then interrupted again: the run's reaper removed its tenants`,
    ),
  );
  // Registered last, so it runs first when a signal outlasts the grace period: the results file
  // says "interrupted" with the reason, whatever the measurement was doing.
  onShutdown(async () => {
    if (recorder.result.status !== 'running') return;
    const reason = shutdownSignal.aborted ? (shutdownSignal.reason as Error).message : 'the run ended before it finished';
    await recorder.warn({ kind: 'interrupted', message: reason });
    await recorder.finish('interrupted');
    console.error(`coldbench run: ${reason}`);
    console.error(`partial results: ${recorder.file}`);
  });

  try {
    await recorder.save();
    log(`run ${runId}: ${drivers.map((d) => runtimeLabel(runtimeIdentity(d))).join(', ')} on ${scenario.workloads.join(', ')}`);
    for (const kind of kinds) {
      const samples = await (await kind.runner()).beforeRun?.({
        scenario: scenario.name,
        runId,
        options: scenario.measurements[kind.name],
        signal: shutdownSignal,
      });
      if (samples?.length) await recorder.add(samples);
    }
    const governor = await cpuGovernor();
    // Platforms one after another: each has its own server apps and images, and timings are
    // compared within one architecture only.
    const units = scenario.workloads.flatMap((name) => (platforms ?? [undefined]).map((platform) => ({ name, platform })));
    for (const { name, platform } of units) {
      shutdownSignal.throwIfAborted();
      const group = drivers.filter((d) => d.platform === platform);
      if (group.length === 0) continue;
      const builds = artifactKinds([...new Set(group.map((d) => d.name))]);
      const artifacts = await buildWorkload(await loadWorkload(name), builds, {
        baseImage: (scenario.docker as { baseImage?: string } | undefined)?.baseImage,
        log,
        platform,
        signal: shutdownSignal,
        runId,
      });
      recorder.result.artifacts.push({
        workload: name,
        ...(platform ? { platform: platform.name, emulated: platform.emulated } : {}),
        builds: [artifacts.serverApp, artifacts.image, artifacts.component].filter((b) => b !== undefined),
      });
      const ready = await prepareAndVerify(scenario, artifacts, group, recorder, log);
      if (ready.length === 0) continue;
      for (const kind of kinds) {
        shutdownSignal.throwIfAborted();
        const before = await noiseSnapshot();
        await (await kind.runner()).run({
          scenario: scenario.name,
          runId,
          artifacts,
          drivers: ready,
          options: scenario.measurements[kind.name],
          signal: shutdownSignal,
          onSamples: (samples: Sample[]) => recorder.add(samples),
          onRamp: async (ramp) => {
            // A ramp is saved when it ends and again when its teardown is done: the same object.
            if (!recorder.result.densityRamps.includes(ramp)) recorder.result.densityRamps.push(ramp);
            await recorder.save();
          },
          onHistogram: async (histogram) => {
            recorder.result.latencyHistograms ??= [];
            recorder.result.latencyHistograms.push(histogram);
            await recorder.save();
          },
          onProgress: log,
          clientCpus: isolation?.clientCpus,
          host: liveHost,
        });
        const after = await noiseSnapshot();
        const noise = noiseBetween(before, after, measurementPids(after), { workload: name, measurement: kind.name, governor });
        recorder.result.noise ??= [];
        recorder.result.noise.push(noise);
        if (noise.busy) {
          const message = `${name} ${kind.name} was measured on a busy machine: ${noise.reasons.join('; ')}`;
          log(`warning: ${message}`);
          await recorder.warn({ kind: 'busy-machine', workload: name, message });
        } else await recorder.save();
      }
    }
    const measured = measuredAnything(
      recorder.result,
      kinds.map((k) => k.name),
    );
    if (!measured) await recorder.warn({ kind: 'failed', message: NOTHING_MEASURED });
    await recorder.finish(measured ? 'complete' : 'failed');
  } catch (error) {
    if (recorder.result.status !== 'running') return 130; // the shutdown handler already finished it
    const interrupted = shutdownSignal.aborted;
    const message = interrupted ? (shutdownSignal.reason as Error).message : (error as Error).message;
    await recorder.warn({ kind: interrupted ? 'interrupted' : 'failed', message });
    await recorder.finish(interrupted ? 'interrupted' : 'failed');
    await runCleanups();
    console.error(`coldbench run: ${message}`);
    console.error(`partial results: ${recorder.file}`);
    return interrupted ? 130 : 1;
  }
  await runCleanups();
  log('');
  for (const kind of kinds) {
    const table = kind.read.table(recorder.result);
    if (table) log(`${table}\n`);
  }
  for (const warning of recorder.result.warnings) log(`warning: ${warning.message}`);
  log(`results: ${recorder.file}`);
  if (options.report) {
    const out = resolve(options.report);
    await writeReport(out, await renderReport([recorder.result]));
    log(`report: ${out}`);
  }
  if (recorder.result.status === 'failed') {
    console.error(`coldbench run: ${NOTHING_MEASURED}`);
    return 1;
  }
  return 0;
}

const NOTHING_MEASURED = 'nothing was measured: no runtime answered the workloads as expected, or no measurement produced a sample (see the warnings)';

/** Whether a run recorded any sample of the measurements it asked for (set-up and the probe floor do not count). */
export function measuredAnything(result: { samples: { measurement: string }[] }, measurements: string[]): boolean {
  return result.samples.some((s) => measurements.includes(s.measurement));
}

// Prepares every driver for the workload and proves each answers every declared request exactly;
// a runtime that does not is reported and left out of the measurements.
async function prepareAndVerify(
  scenario: Scenario,
  artifacts: WorkloadArtifacts,
  drivers: RuntimeDriver[],
  recorder: ResultsRecorder,
  log: (l: string) => void,
) {
  const ready: RuntimeDriver[] = [];
  const workload = artifacts.workload;
  for (const driver of drivers) {
    const context = driverContext(scenario.name, workload.name, driver);
    const label = runtimeLabel(context);
    const phases = (await driver.prepare?.(artifacts)) ?? [];
    await recorder.add(
      phases.map(({ phase, ms }) =>
        makeSample(context, {
          measurement: 'setup',
          tenants: 0,
          iteration: 0,
          phase,
          metric: 'duration',
          unit: 'ms',
          value: ms,
        }),
      ),
    );
    const problems = await verifyRuntime(driver, artifacts, (scenario.measurements.coldstart?.timeoutMs ?? 15000) * timeoutScale(driver.platform));
    if (problems.length) {
      const message = `${label} does not answer ${workload.name} as expected, not measured: ${problems.join('; ')}`;
      log(`warning: ${message}`);
      await recorder.warn({ kind: 'not-verified', workload: workload.name, runtime: label, message });
    } else {
      log(`  ${label}: ${workload.name} answers all ${plural(workload.requests.length, 'declared request')} exactly`);
      ready.push(driver);
    }
  }
  return ready;
}

// The scenario's platforms, each ready to run (a foreign one is set up when first asked for).
async function preparePlatforms(scenario: Scenario, log: (line: string) => void): Promise<Platform[] | undefined> {
  if (!scenario.platforms) return undefined;
  const platforms: Platform[] = [];
  for (const name of scenario.platforms) {
    const platform = await preparePlatform(name).catch((error: Error) => {
      throw new UserError(`platforms: ${error.message}`, 1);
    });
    if (platform.emulated) log(`${name}: emulated on this ${process.arch} machine (node ${platform.node}); its timings are not hardware timings`);
    platforms.push(platform);
  }
  return platforms;
}

// Servers on CPU 0 and the load client on CPU 1, when asked for and the machine has two CPUs.
function cpuIsolation(scenario: Scenario, log: (line: string) => void): { serverCpus: string; clientCpus: string } | undefined {
  if (!scenario.measurements.load?.cpuIsolation) return undefined;
  if (cpus().length < 2) {
    log('warning: load.cpuIsolation needs at least 2 CPUs; running without it');
    return undefined;
  }
  return { serverCpus: '0', clientCpus: '1' };
}

function wholeNumber(option: string, text: string, max: number): number {
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(n) || n < 1 || n > max) {
    throw new UserError(`${option}: expected a whole number from 1 to ${max}, got "${text}"`);
  }
  return n;
}

function applyOverrides(scenario: Scenario, options: RunOptions): Scenario {
  const next = structuredClone(scenario);
  if (options.runtimes) next.runtimes = parseRuntimeList(options.runtimes, scenario.runtimes, 'this scenario has');
  if (options.maxTenants !== undefined) {
    const n = wholeNumber('--max-tenants', options.maxTenants, 1_000_000);
    if (!next.measurements.density) throw new UserError('--max-tenants: this scenario has no density measurement');
    next.measurements.density = { ...next.measurements.density, maxTenants: n };
  }
  if (options.iterations !== undefined) {
    const n = wholeNumber('--iterations', options.iterations, 10000);
    if (!next.measurements.coldstart) throw new UserError('--iterations: this scenario has no coldstart measurement');
    next.measurements.coldstart = { ...next.measurements.coldstart, iterations: n };
  }
  return next;
}
