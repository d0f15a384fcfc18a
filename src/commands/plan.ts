// `coldbench plan <scenario.yaml> --detect 5% [--power 90%] [--pilot N | --from results.json] [--run]`:
// how many cold-start iterations each runtime needs for `compare` (two runs, its defaults) to call a
// change of the given size with the given power, from a short pilot run (or an earlier results
// file), and how long that run takes here. With --run it runs the scenario at that count.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import { formatNumber } from '../format.js';
import { readResults } from '../results/read.js';
import type { RunResult } from '../results/types.js';
import { loadScenario } from '../scenario/load.js';
import { COMPARE_DEFAULTS } from '../stats/compare-defaults.js';
import { formatMde, MDE_MIN_VALUES } from '../stats/mde.js';
import { estimateSeconds, planIterations } from '../stats/plan.js';
import { textTable } from '../text-table.js';
import { runCommand } from './run.js';

export interface PlanOptions {
  detect?: string;
  power?: string;
  pilot?: string;
  from?: string;
  run?: boolean;
  out?: string;
}

/** "5%" or "5" -> 0.05, within (0, max]. */
function percent(flag: string, text: string | undefined, fallback: number | undefined, low: number, high: number): number {
  if (text === undefined) {
    if (fallback === undefined) throw new UserError(`${flag}: required, a percentage such as 5%`);
    return fallback;
  }
  const value = Number(text.replace(/%$/, ''));
  if (!Number.isFinite(value) || value <= low || value > high)
    throw new UserError(`${flag}: expected a percentage above ${low} and at most ${high}, got "${text}"`);
  return value / 100;
}

export async function planCommand(scenarioFile: string, options: PlanOptions): Promise<number> {
  const target = percent('--detect', options.detect, undefined, 0, 1000);
  const power = percent('--power', options.power, 0.9, 50, 99.9);
  const pilotIterations = Number(options.pilot ?? 15);
  if (!Number.isInteger(pilotIterations) || pilotIterations < MDE_MIN_VALUES || pilotIterations > 10000)
    throw new UserError(`--pilot: expected a whole number of iterations from ${MDE_MIN_VALUES} to 10000, got "${options.pilot}"`);
  if (options.pilot !== undefined && options.from) throw new UserError('--pilot and --from: give one (a pilot run, or an earlier results file)');
  const scenario = await loadScenario(scenarioFile);
  const coldstart = scenario.measurements.coldstart;
  if (!coldstart) throw new UserError(`${scenarioFile}: plan counts cold-start iterations; this scenario has no coldstart measurement`);
  if (target <= COMPARE_DEFAULTS.minEffect)
    throw new UserError(
      `--detect: compare calls no change under ${COMPARE_DEFAULTS.minEffect * 100}% (its --min-effect), so no iteration count detects ${formatNumber(target * 100)}%`,
    );

  let pilot: RunResult;
  let pilotRounds: number;
  if (options.from) {
    pilot = await readResults(options.from);
    const recorded = pilot.scenario.measurements.coldstart as { warmup?: number; iterations?: number } | undefined;
    pilotRounds = (recorded?.warmup ?? 0) + (recorded?.iterations ?? 0);
  } else {
    console.log(`pilot: ${scenarioFile} at ${pilotIterations} iterations`);
    pilot = await pilotRun(scenarioFile, String(pilotIterations));
    pilotRounds = coldstart.warmup + pilotIterations;
  }
  const rows = planIterations(pilot, target, power);
  if (rows.length === 0) throw new UserError(`${options.from ?? 'the pilot run'} has no cold-start totals to plan from`);
  const powerText = `${formatNumber(power * 100)}%`;
  console.log(
    textTable(
      ['workload', 'runtime', 'pilot n', `detectable now (${powerText} power)`, `iterations for ${formatNumber(target * 100)}%`],
      rows.map((r) => [
        r.workload,
        r.runtime,
        String(r.n),
        formatMde(r.mdeNow),
        r.needed === undefined ? `too few (needs ${MDE_MIN_VALUES})` : r.needed === null ? 'none can' : String(r.needed),
      ]),
      new Set([2, 3, 4]),
    ),
  );
  const counts = rows.map((r) => r.needed).filter((n): n is number => typeof n === 'number');
  if (counts.length < rows.length) {
    console.log('plan: some runtimes could not be planned (see the table); a longer pilot (--pilot N) tells more');
    return 1;
  }
  // Runtimes are interleaved round by round, so the run takes the largest count for all.
  const iterations = Math.max(...counts);
  const seconds = estimateSeconds(pilot, pilotRounds, coldstart.warmup + iterations);
  console.log(
    `plan: --iterations ${iterations} to see a ${formatNumber(target * 100)}% change of every runtime's cold start with ${powerText} power between two such runs${seconds === undefined ? '' : `; about ${formatDuration(seconds)} here (the pilot's pace, set-up included)`}`,
  );
  if (!options.run) return 0;
  console.log(`running ${scenarioFile} with --iterations ${iterations}`);
  return runCommand({ scenarioFile, outDir: options.out ?? 'results', iterations: String(iterations) });
}

async function pilotRun(scenarioFile: string, iterations: string): Promise<RunResult> {
  const dir = await mkdtemp(join(tmpdir(), 'coldbench-plan-'));
  try {
    const code = await runCommand({ scenarioFile, outDir: dir, iterations });
    if (code !== 0) throw new Error(`the pilot run failed (exit ${code})`);
    return await readResults(join(dir, (await readdir(dir))[0]!));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function formatDuration(seconds: number): string {
  if (seconds < 120) return `${Math.round(seconds)} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  return `${formatNumber(seconds / 3600)} h`;
}
