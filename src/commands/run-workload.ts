// One workload on one platform, as `coldbench run` measures it: build its artifacts, prepare every
// runtime and prove it answers exactly, then each measurement in turn, with how busy the machine
// was. The results file is written whole after each measurement (a unit); samples in between go
// to its journal.
import { plural } from '../format.js';
import { shutdownSignal } from '../lifecycle.js';
import type { MeasurementKind } from '../measure/types.js';
import { verifyRuntime } from '../measure/verify.js';
import { runtimeLabel } from '../results/identity.js';
import type { ResultsRecorder } from '../results/recorder.js';
import { driverContext, makeSample, runtimeIdentity } from '../results/sample.js';
import { type Platform, timeoutScale } from '../runtimes/platform.js';
import { artifactKinds } from '../runtimes/select.js';
import type { RuntimeDriver } from '../runtimes/types.js';
import type { Scenario } from '../scenario/schema.js';
import { liveHost } from '../sys/host.js';
import { measurementPids, noiseBetween, noiseSnapshot } from '../sys/noise.js';
import type { WorkloadArtifacts } from '../workloads/artifacts.js';
import { buildWorkload } from '../workloads/build.js';
import { loadWorkload, type Workload } from '../workloads/catalog.js';
import { unsupportedReason } from '../workloads/runtime-support.js';

export interface Unit {
  scenario: Scenario;
  runId: string;
  workload: string;
  platform?: Platform;
  /** The drivers of this platform. */
  drivers: RuntimeDriver[];
  kinds: readonly MeasurementKind<unknown>[];
  recorder: ResultsRecorder;
  clientCpus?: string;
  governor?: string;
  log: (line: string) => void;
}

export async function measureWorkload(unit: Unit): Promise<void> {
  const { scenario, runId, workload, platform, recorder, log } = unit;
  const loaded = await loadWorkload(workload);
  const drivers = supportedDrivers(loaded, unit.drivers, recorder, log);
  if (drivers.length === 0) return;
  const artifacts = await buildWorkload(loaded, artifactKinds([...new Set(drivers.map((d) => d.name))]), {
    baseImage: (scenario.docker as { baseImage?: string } | undefined)?.baseImage,
    log,
    platform,
    signal: shutdownSignal,
    runId,
  });
  recorder.artifacts({
    workload,
    ...(platform ? { platform: platform.name, emulated: platform.emulated } : {}),
    builds: [artifacts.serverApp, artifacts.image, artifacts.component].filter((b) => b !== undefined),
  });
  const ready = await prepareAndVerify(scenario, artifacts, drivers, recorder, log);
  if (ready.length === 0) return;
  for (const kind of unit.kinds) {
    shutdownSignal.throwIfAborted();
    const before = await noiseSnapshot();
    await (await kind.runner()).run({
      scenario: scenario.name,
      runId,
      artifacts,
      drivers: ready,
      options: scenario.measurements[kind.name],
      signal: shutdownSignal,
      onSamples: async (samples) => recorder.samples(samples),
      onRamp: async (ramp) => recorder.ramp(ramp),
      onHistogram: async (histogram) => recorder.histogram(histogram),
      onWarning: async (warning) => recorder.warn(warning),
      onProgress: log,
      clientCpus: unit.clientCpus,
      host: liveHost,
    });
    const after = await noiseSnapshot();
    const noise = noiseBetween(before, after, measurementPids(after), { workload, measurement: kind.name, governor: unit.governor });
    recorder.noise(noise);
    if (noise.busy) {
      const message = `${workload} ${kind.name} was measured on a busy machine: ${noise.reasons.join('; ')}`;
      log(`warning: ${message}`);
      recorder.warn({ kind: 'busy-machine', workload, message });
    }
    await recorder.save();
  }
}

// The drivers that can run this workload; the others are skipped with their reason.
function supportedDrivers(workload: Workload, drivers: RuntimeDriver[], recorder: ResultsRecorder, log: (l: string) => void): RuntimeDriver[] {
  return drivers.filter((driver) => {
    const reason = unsupportedReason(workload, driver);
    if (!reason) return true;
    const message = `skipping ${runtimeLabel(runtimeIdentity(driver))} for ${workload.name}: ${reason}`;
    log(message);
    recorder.warn({ kind: 'runtime-skipped', workload: workload.name, message }, driver);
    return false;
  });
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
    const label = runtimeLabel(runtimeIdentity(driver));
    const refusal = driver.cannotDeploy?.(workload);
    if (refusal) {
      log(`  ${label}: ${workload.name} not measured: ${refusal}`);
      recorder.warn({ kind: 'runtime-skipped', workload: workload.name, message: `${label}: ${refusal}` }, driver);
      continue;
    }
    const phases = (await driver.prepare?.(artifacts)) ?? [];
    recorder.samples(
      phases.map(({ phase, ms }) => makeSample(context, { measurement: 'setup', tenants: 0, iteration: 0, phase, metric: 'duration', unit: 'ms', value: ms })),
    );
    const problems = await verifyRuntime(driver, artifacts, (scenario.measurements.coldstart?.timeoutMs ?? 15000) * timeoutScale(driver.platform));
    if (problems.length) {
      const message = `${label} does not answer ${workload.name} as expected, not measured: ${problems.join('; ')}`;
      log(`warning: ${message}`);
      recorder.warn({ kind: 'not-verified', workload: workload.name, message }, driver);
    } else {
      log(`  ${label}: ${workload.name} answers all ${plural(workload.requests.length, 'declared request')} exactly`);
      ready.push(driver);
    }
  }
  return ready;
}
