// `coldbench run`: scenario in, one results file out. runCommand reads top to bottom: validate,
// sweep leftovers, check runtimes, then for each workload (and platform) build, verify and take
// every measurement of the registry the scenario asks for, then the terminal summary. The
// recorder journals every record as it comes and writes the results file whole at the end of
// each measurement and at exit (src/results/recorder.ts).

import { randomBytes } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import { plural } from '../format.js';
import { runCleanups, shutdownSignal } from '../lifecycle.js';
import { measurementKinds } from '../measure/registry.js';
import type { MeasurementKind } from '../measure/types.js';
import { computeTaxLines } from '../report/compute-tax.js';
import { renderReport } from '../report/page.js';
import { fingerprint } from '../results/fingerprint.js';
import { runtimeLabel } from '../results/identity.js';
import { ResultsRecorder } from '../results/recorder.js';
import { runtimeIdentity } from '../results/sample.js';
import { checkWritableDirectory } from '../results/write.js';
import { startReaper } from '../runtimes/reaper.js';
import type { Arm } from '../runtimes/select.js';
import { sweepLeftovers } from '../runtimes/sweep.js';
import { loadScenario } from '../scenario/load.js';
import { applyOverrides, type OverrideValues } from '../scenario/overrides.js';
import { cpuGovernor } from '../sys/noise.js';
import { writeReport } from './report.js';
import { prepareRuntimes } from './run-runtimes.js';
import { endEarly, wireShutdown } from './run-shutdown.js';
import { measureWorkload } from './run-workload.js';

export interface RunOptions extends OverrideValues {
  scenarioFile: string;
  outDir: string;
  report?: string;
  /** Deploy every runtime once per arm, interleaved, each arm with its own runtime settings (`coldbench aa`). */
  arms?: Arm[];
}

const log = (line: string) => console.log(line);

export async function runCommand(options: RunOptions): Promise<number> {
  const scenario = applyOverrides(await loadScenario(options.scenarioFile), options);
  await checkWritableDirectory('--out', options.outDir);
  if (options.report) await checkWritableDirectory('--report', dirname(resolve(options.report)));
  const runId = `${scenario.name}-${new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '')}-${randomBytes(2).toString('hex')}`;
  const swept = await sweepLeftovers('orphans');
  startReaper(runId); // removes what this run leaves if it is killed with -9
  if (swept.containers || swept.processes)
    log(`removed ${plural(swept.containers, 'container')} and ${plural(swept.processes, 'process', 'processes')} left by an earlier run`);

  const kinds = measurementKinds().filter((k) => scenario.measurements[k.name] !== undefined);
  const { drivers, statuses, platforms, clientCpus } = await prepareRuntimes(scenario, runId, options.arms, log);
  const file = join(resolve(options.outDir), `${runId}.json`);
  const recorder = await ResultsRecorder.start(file, { runId, fingerprint: await fingerprint(statuses), scenario, runtimes: statuses });
  recorder.skipped(statuses);
  wireShutdown(recorder, drivers);

  try {
    log(`run ${runId}: ${drivers.map((d) => runtimeLabel(runtimeIdentity(d))).join(', ')} on ${scenario.workloads.join(', ')}`);
    for (const kind of kinds) {
      const options = scenario.measurements[kind.name];
      recorder.samples((await (await kind.runner()).beforeRun?.({ scenario: scenario.name, runId, options, signal: shutdownSignal })) ?? []);
    }
    const governor = await cpuGovernor();
    // Platforms one after another: each has its own server apps and images, and timings are
    // compared within one architecture only.
    for (const workload of scenario.workloads) {
      for (const platform of platforms ?? [undefined]) {
        shutdownSignal.throwIfAborted();
        const group = drivers.filter((d) => d.platform === platform);
        if (group.length) await measureWorkload({ scenario, runId, workload, platform, drivers: group, kinds, recorder, clientCpus, governor, log });
      }
    }
    const measured = measuredAnything(
      recorder.result,
      kinds.map((k) => k.name),
    );
    if (!measured) recorder.warn({ kind: 'failed', message: NOTHING_MEASURED });
    await recorder.finish(measured ? 'complete' : 'failed');
  } catch (error) {
    return endEarly(recorder, error);
  }
  await runCleanups();
  await summarizeRun(recorder, kinds, options.report);
  if (recorder.result.status !== 'failed') return 0;
  console.error(`coldbench run: ${NOTHING_MEASURED}`);
  return 1;
}

const NOTHING_MEASURED = 'nothing was measured: no runtime answered the workloads as expected, or no measurement produced a sample (see the warnings)';

/** Whether a run recorded any sample of the measurements it asked for (set-up and the probe floor do not count). */
export function measuredAnything(result: { samples: readonly { measurement: string }[] }, measurements: string[]): boolean {
  return result.samples.some((s) => measurements.includes(s.measurement));
}

// The terminal summary: each measurement's table, the warnings, where the results (and report) are.
async function summarizeRun(recorder: ResultsRecorder, kinds: readonly MeasurementKind<unknown>[], report: string | undefined): Promise<void> {
  log('');
  for (const kind of kinds) {
    const table = kind.read.table(recorder.result);
    if (table) log(`${table}\n`);
  }
  for (const line of computeTaxLines(recorder.result)) log(`compute tax: ${line}`);
  for (const warning of recorder.result.warnings) log(`warning: ${warning.message}`);
  log(`results: ${recorder.file}`);
  if (!report) return;
  const out = resolve(report);
  await writeReport(out, await renderReport([recorder.result]));
  log(`report: ${out}`);
}
