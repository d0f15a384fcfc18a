// `coldbench aa <scenario.yaml> --pairs N [--inject-slowdown PCT]`: an A/A self-test of the
// harness on this machine. Runs the scenario N times in pairs and compares each pair as
// `compare` would: with identical runs, every verdict other than "unsure" is a false alarm. With
// --inject-slowdown, the second run of each pair delays every process deploy by PCT% of the
// first run's median process cold start: how often `compare` says "slower" is its power.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mean, median, sampleStandardDeviation } from 'simple-statistics';
import { UserError } from '../errors.js';
import { loadScenario } from '../scenario/load.js';
import { readResults } from '../results/read.js';
import { compareRuns } from '../stats/compare.js';
import { judge } from '../measure/registry.js';
import { runtimeLabel, type RunResult } from '../results/types.js';
import { formatNumber } from '../format.js';
import { runCommand } from './run.js';
import { writeJsonAtomic } from '../results/write.js';

export interface AaOptions {
  pairs?: string;
  injectSlowdown?: string;
  iterations?: string;
  out?: string;
}

export async function aaCommand(scenarioFile: string, options: AaOptions): Promise<number> {
  const pairs = Number(options.pairs ?? 10);
  if (!Number.isInteger(pairs) || pairs < 1 || pairs > 1000) throw new UserError(`--pairs: expected a whole number from 1 to 1000, got "${options.pairs}"`);
  const slowdown = options.injectSlowdown === undefined ? 0 : Number(options.injectSlowdown.replace(/%$/, ''));
  if (!Number.isFinite(slowdown) || slowdown < 0 || slowdown > 1000) throw new UserError(`--inject-slowdown: expected a percentage such as 10%, got "${options.injectSlowdown}"`);
  const scenario = await loadScenario(scenarioFile);
  if (slowdown > 0 && !scenario.runtimes.includes('process')) throw new UserError('--inject-slowdown: the slowdown is injected into the process runtime, which this scenario does not list');
  if (!scenario.measurements.coldstart) throw new UserError(`${scenarioFile}: aa compares cold starts; this scenario has no coldstart measurement`);

  const dir = await mkdtemp(join(tmpdir(), 'coldbench-aa-'));
  const runOnce = async (label: string, injectDelayMs: number): Promise<RunResult> => {
    const out = join(dir, label);
    const file = injectDelayMs > 0 ? await withDelay(scenarioFile, dir, label, injectDelayMs) : scenarioFile;
    const code = await runCommand({ scenarioFile: file, outDir: out, iterations: options.iterations });
    if (code !== 0) throw new Error(`run ${label} failed (exit ${code})`);
    return readResults(join(out, (await readdir(out))[0]!));
  };

  // Each run's median cold-start total per runtime (unslowed runs only): their spread across runs.
  const medians = new Map<string, number[]>();
  const keepMedians = (result: RunResult) => {
    const totals = new Map<string, number[]>();
    for (const s of result.samples.filter((x) => x.measurement === 'coldstart' && x.phase === 'total')) {
      totals.set(runtimeLabel(s), [...(totals.get(runtimeLabel(s)) ?? []), s.value]);
    }
    for (const [runtime, values] of totals) medians.set(runtime, [...(medians.get(runtime) ?? []), median(values)]);
  };
  let judged = 0;
  let alarms = 0;
  let pairsWithAlarm = 0;
  let detected = 0;
  const lines: string[] = [];
  try {
    for (let pair = 0; pair < pairs; pair++) {
      const a = await runOnce(`pair${pair}-a`, 0);
      keepMedians(a);
      const processTotal = a.samples.filter((s) => s.measurement === 'coldstart' && s.runtime === 'process' && s.phase === 'total').map((s) => s.value);
      const delay = slowdown > 0 && processTotal.length ? (median(processTotal) * slowdown) / 100 : 0;
      const b = await runOnce(`pair${pair}-b`, delay);
      if (delay === 0) keepMedians(b);
      const rows = compareRuns(a, b, judge).filter((r) => r.measurement === 'coldstart');
      // The injected runtime's total is the quantity under test; every other verdict is an A/A comparison.
      const target = (r: (typeof rows)[number]) => slowdown > 0 && r.runtime === 'process' && r.phase === 'total';
      const control = rows.filter((r) => !target(r) && !(slowdown > 0 && r.runtime === 'process'));
      const falseAlarms = control.filter((r) => r.verdict === 'better' || r.verdict === 'worse');
      judged += control.filter((r) => r.verdict !== 'too few samples').length;
      alarms += falseAlarms.length;
      if (falseAlarms.length) pairsWithAlarm++;
      const hit = rows.find(target)?.verdict === 'worse';
      if (hit) detected++;
      lines.push(`pair ${pair + 1}/${pairs}: ${falseAlarms.length} false alarm(s)${falseAlarms.length ? ` (${falseAlarms.map((r) => `${runtimeLabel(r)}/${r.phase} ${r.verdictText}`).join(', ')})` : ''}${slowdown > 0 ? `; ${slowdown}% slowdown (${formatNumber(delay)} ms) ${hit ? 'detected' : 'missed'}` : ''}`);
      console.log(lines[lines.length - 1]);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const runToRunCv = Object.fromEntries([...medians].filter(([, m]) => m.length > 1).map(([runtime, m]) => [runtime, sampleStandardDeviation(m) / mean(m)]));
  for (const [runtime, cv] of Object.entries(runToRunCv)) {
    const m = medians.get(runtime)!;
    console.log(`run-to-run: ${runtime} median cold start ${formatNumber(Math.min(...m))}–${formatNumber(Math.max(...m))} ms over ${m.length} runs, cv ${formatNumber(cv * 100)}%`);
  }
  const summary = {
    runToRunCv,
    scenario: scenario.name, pairs, iterations: options.iterations ?? scenario.measurements.coldstart.iterations,
    comparisons: judged, falseAlarms: alarms, falseAlarmRate: judged ? alarms / judged : 0, pairsWithAnyFalseAlarm: pairsWithAlarm,
    ...(slowdown > 0 ? { injectedSlowdownPercent: slowdown, detected, power: detected / pairs } : {}),
  };
  console.log(`A/A: ${alarms} false alarm(s) in ${judged} comparisons (${formatNumber(summary.falseAlarmRate * 100)}%); ${pairsWithAlarm} of ${pairs} pairs had at least one`);
  if (slowdown > 0) console.log(`power: a ${slowdown}% slowdown of process cold start was detected in ${detected} of ${pairs} pairs (${formatNumber((detected / pairs) * 100)}%)`);
  if (options.out) await writeJsonAtomic(options.out, summary);
  return 0;
}

/** A copy of the scenario whose process runtime delays every deploy. */
async function withDelay(scenarioFile: string, dir: string, label: string, injectDelayMs: number): Promise<string> {
  const { readFile, writeFile } = await import('node:fs/promises');
  const { parseDocument } = await import('yaml');
  const doc = parseDocument(await readFile(scenarioFile, 'utf8'));
  doc.setIn(['process', 'injectDelayMs'], Math.round(injectDelayMs * 1000) / 1000);
  const file = join(dir, `${label}.yaml`);
  await writeFile(file, doc.toString());
  return file;
}
