// `coldbench run`: scenario in, one results file out. The pipeline reads top to bottom: validate,
// sweep leftovers, check runtimes, build, verify, measure the prober's floor, measure, summarize.
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { loadScenario } from '../scenario/load.js';
import { cpus } from 'node:os';
import { RUNTIME_NAMES, type LoadOptions, type RuntimeName, type Scenario } from '../scenario/schema.js';
import { UserError } from '../errors.js';
import { availableDrivers } from '../runtimes/index.js';
import type { RuntimeDriver } from '../runtimes/types.js';
import { sweepLeftovers } from '../runtimes/sweep.js';
import { loadWorkload } from '../workloads/catalog.js';
import { buildWorkload } from '../workloads/build.js';
import type { WorkloadArtifacts } from '../workloads/artifacts.js';
import { fingerprint } from '../results/fingerprint.js';
import { ResultsRecorder } from '../results/recorder.js';
import { SCHEMA_VERSION, type Sample } from '../results/types.js';
import { measureProbeFloor } from '../measure/probe-floor.js';
import { measureColdStarts } from '../measure/coldstart.js';
import { verifyRuntime } from '../measure/verify.js';
import { coldStartTable, densityTable, loadTable } from '../report/table.js';
import { measureDensity } from '../measure/density.js';
import { renderReport } from '../report/page.js';
import { writeReport } from './report.js';
import { measureLoad } from '../measure/load.js';
import { onShutdown, runCleanups, shutdownSignal } from '../lifecycle.js';

export interface RunOptions {
  scenarioFile: string;
  outDir: string;
  runtimes?: string;
  iterations?: string;
  maxTenants?: string;
  report?: string;
}

export async function runCommand(options: RunOptions): Promise<number> {
  const scenario = applyOverrides(await loadScenario(options.scenarioFile), options);
  const runId = `${scenario.name}-${new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '')}-${randomBytes(2).toString('hex')}`;
  const log = (line: string) => console.log(line);

  const swept = await sweepLeftovers('orphans');
  if (swept.containers || swept.processes) log(`removed ${swept.containers} containers and ${swept.processes} processes left by an earlier run`);

  const { coldstart, load, density } = scenario.measurements;
  const isolation = cpuIsolation(load, log);
  const { drivers, statuses } = await availableDrivers(scenario.runtimes, { runId, serverCpus: isolation?.serverCpus }, scenario, log);
  if (drivers.length === 0) throw new UserError('no runtime of this scenario is available (see `coldbench doctor`)', 1);

  const recorder = new ResultsRecorder(join(resolve(options.outDir), `${runId}.json`), {
    schemaVersion: SCHEMA_VERSION, runId, status: 'running', startedAt: new Date().toISOString(),
    fingerprint: await fingerprint(statuses.find((s) => s.runtime === 'docker' && s.available)?.version),
    scenario, runtimes: statuses, artifacts: [], samples: [], summaries: [], densityRamps: [], warnings: [],
  });
  onShutdown(async () => {
    await Promise.all(drivers.map((d) => d.dispose()));
  });

  try {
    await recorder.save();
    log(`run ${runId}: ${drivers.map((d) => d.name).join(', ')} on ${scenario.workloads.join(', ')}`);
    if (coldstart) {
      const floor = await measureProbeFloor(runId, coldstart.probeFloorSamples);
      await recorder.add(floor.map((value, iteration) => ({
        scenario: scenario.name, measurement: 'probe-floor' as const, workload: '-', runtime: 'null', tenants: 1,
        iteration, phase: 'probe-floor', metric: 'duration', unit: 'ms', value,
      })));
    }

    for (const name of scenario.workloads) {
      shutdownSignal.throwIfAborted();
      const artifacts = await buildWorkload(await loadWorkload(name), drivers.map((d) => d.name), { baseImage: scenario.docker.baseImage, log });
      recorder.result.artifacts.push({ workload: name, builds: [artifacts.serverApp, artifacts.image, artifacts.component].filter((b) => b !== undefined) });
      const ready = await prepareAndVerify(scenario, artifacts, drivers, recorder, log);
      if (ready.length === 0) continue;
      const common = { scenario: scenario.name, artifacts, drivers: ready, signal: shutdownSignal, onSamples: (samples: Sample[]) => recorder.add(samples), onProgress: log };
      if (coldstart) await measureColdStarts({ ...common, options: coldstart });
      if (load) await measureLoad({ ...common, options: load, clientCpus: isolation?.clientCpus });
      if (density) {
        await measureDensity({
          ...common, options: density,
          onRamp: async (ramp) => {
            recorder.result.densityRamps.push(ramp);
            await recorder.save();
          },
        });
      }
    }
    await recorder.finish('complete');
  } catch (error) {
    const interrupted = shutdownSignal.aborted;
    await recorder.warn(`${interrupted ? 'interrupted' : 'failed'}: ${(error as Error).message}`);
    await recorder.finish(interrupted ? 'interrupted' : 'failed');
    await runCleanups();
    console.error(`coldbench run: ${(error as Error).message}`);
    console.error(`partial results: ${recorder.file}`);
    return interrupted ? 130 : 1;
  }
  await runCleanups();
  log('');
  const summaries = recorder.result.summaries;
  if (coldstart) log(coldStartTable(summaries.filter((s) => ['coldstart', 'setup', 'probe-floor'].includes(s.measurement))));
  if (load) log(`\n${loadTable(summaries.filter((s) => s.measurement === 'load'))}`);
  if (density) log(`\n${densityTable(summaries.filter((s) => s.measurement === 'density'), recorder.result.densityRamps)}`);
  for (const warning of recorder.result.warnings) log(`warning: ${warning}`);
  log(`\nresults: ${recorder.file}`);
  if (options.report) {
    const out = resolve(options.report);
    await writeReport(out, await renderReport([recorder.result]));
    log(`report: ${out}`);
  }
  return 0;
}

// Prepares every driver for the workload and proves each answers every declared request exactly;
// a runtime that does not is reported and left out of the measurements.
async function prepareAndVerify(scenario: Scenario, artifacts: WorkloadArtifacts, drivers: RuntimeDriver[], recorder: ResultsRecorder, log: (l: string) => void) {
  const ready: RuntimeDriver[] = [];
  const workload = artifacts.workload;
  for (const driver of drivers) {
    const phases = (await driver.prepare?.(artifacts)) ?? [];
    await recorder.add(phases.map(({ phase, ms }) => ({
      scenario: scenario.name, measurement: 'setup' as const, workload: workload.name, runtime: driver.name,
      tenants: 0, iteration: 0, phase, metric: 'duration', unit: 'ms', value: ms,
    })));
    const problems = await verifyRuntime(driver, artifacts, scenario.measurements.coldstart?.timeoutMs ?? 15000);
    if (problems.length) {
      const message = `${driver.name} does not answer ${workload.name} as expected, not measured: ${problems.join('; ')}`;
      log(`warning: ${message}`);
      await recorder.warn(message);
    } else {
      log(`  ${driver.name}: ${workload.name} answers all ${workload.requests.length} declared requests exactly`);
      ready.push(driver);
    }
  }
  return ready;
}

// Servers on CPU 0 and the load client on CPU 1, when asked for and the machine has two CPUs.
function cpuIsolation(load: LoadOptions | undefined, log: (line: string) => void): { serverCpus: string; clientCpus: string } | undefined {
  if (!load?.cpuIsolation) return undefined;
  if (cpus().length < 2) {
    log('warning: load.cpuIsolation needs at least 2 CPUs; running without it');
    return undefined;
  }
  return { serverCpus: '0', clientCpus: '1' };
}

function applyOverrides(scenario: Scenario, options: RunOptions): Scenario {
  const next = structuredClone(scenario);
  if (options.runtimes) {
    const wanted = options.runtimes.split(',').map((r) => r.trim()).filter(Boolean);
    for (const name of wanted) {
      if (!(RUNTIME_NAMES as readonly string[]).includes(name)) {
        throw new UserError(`--runtimes: unknown runtime "${name}", expected one of: ${RUNTIME_NAMES.join(', ')}`);
      }
    }
    next.runtimes = wanted as RuntimeName[];
  }
  if (options.maxTenants !== undefined) {
    const n = Number(options.maxTenants);
    if (!Number.isInteger(n) || n < 1) throw new UserError(`--max-tenants: expected a whole number of at least 1, got "${options.maxTenants}"`);
    if (!next.measurements.density) throw new UserError('--max-tenants: this scenario has no density measurement');
    next.measurements.density = { ...next.measurements.density, maxTenants: n };
  }
  if (options.iterations !== undefined) {
    const n = Number(options.iterations);
    if (!Number.isInteger(n) || n < 1) throw new UserError(`--iterations: expected a whole number of at least 1, got "${options.iterations}"`);
    if (!next.measurements.coldstart) throw new UserError('--iterations: this scenario has no coldstart measurement');
    next.measurements.coldstart = { ...next.measurements.coldstart, iterations: n };
  }
  return next;
}
