// `coldbench aa <scenario.yaml> --pairs N [--inject-slowdown PCT] [--design interleaved|separate]`:
// an A/A self-test of the harness on this machine. Each pair deploys every runtime as arm A and
// arm B and compares the arms' cold starts as `compare` would: with identical arms, every verdict
// other than "unsure" is a false alarm. With --inject-slowdown, arm B's copy of the runtime that
// takes an injected delay (its descriptor's delaySetting: the process runtime) delays every deploy
// by PCT% of that runtime's median cold start (from a pilot run): how often `compare` says
// "slower" is its power.
// Designs: "interleaved" (default) runs both arms in one run, alternating in shuffled order, so
// the machine's drift between runs touches both alike; "separate" runs each arm on its own, one
// run after the other, as two CI runs compared with `compare` would be.
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { mean, median, sampleStandardDeviation } from 'simple-statistics';
import { UserError } from '../errors.js';
import { formatNumber } from '../format.js';
import { judge } from '../measure/registry.js';
import { identityKey, runtimeLabel } from '../results/identity.js';
import { readResults } from '../results/read.js';
import type { RunResult } from '../results/types.js';
import { checkWritableDirectory, writeJsonAtomic } from '../results/write.js';
import { runtimeDescriptor, runtimeNames } from '../runtimes/registry.js';
import type { Arm } from '../runtimes/select.js';
import { loadScenario } from '../scenario/load.js';
import { type ComparisonRow, compareRuns } from '../stats/compare.js';
import { textTable } from '../text-table.js';
import { runCommand } from './run.js';

export interface AaOptions {
  pairs?: string;
  injectSlowdown?: string;
  iterations?: string;
  design?: string;
  out?: string;
  /** Keep each pair's results files here instead of deleting them. */
  keepRuns?: string;
}

const DESIGNS = ['interleaved', 'separate', 'store'] as const;
type Design = (typeof DESIGNS)[number];

/** One arm's samples of a run, without the arm, so that two arms compare like two runs. */
export function armResult(result: RunResult, arm: string): RunResult {
  return { ...result, samples: result.samples.filter((s) => s.arm === arm).map(({ arm: _arm, ...sample }) => sample) };
}

/** The median cold-start total of each runtime in a run, keyed by identity, with its label for display. */
function medianTotals(result: RunResult): Map<string, { label: string; median: number }> {
  const totals = new Map<string, { label: string; values: number[] }>();
  for (const s of result.samples.filter((x) => x.measurement === 'coldstart' && x.phase === 'total')) {
    const entry = totals.get(identityKey(s)) ?? { label: runtimeLabel(s), values: [] };
    entry.values.push(s.value);
    totals.set(identityKey(s), entry);
  }
  return new Map([...totals].map(([key, { label, values }]) => [key, { label, median: median(values) }]));
}

interface ArmsOutcome {
  judged: number;
  falseAlarms: ComparisonRow[];
  detected: boolean;
}

/** The arms' first n iterations compared as `compare` would (paired or not); the slowed runtime's total is the quantity under test, every other cold-start verdict an A/A one. */
function judgeArms(armA: RunResult, armB: RunResult, n: number, paired: boolean, slowed: string | undefined): ArmsOutcome {
  const firstN = (r: RunResult): RunResult => ({ ...r, samples: r.samples.filter((s) => s.iteration < n) });
  const rows = compareRuns(firstN(armA), firstN(armB), judge, { paired }).filter((r) => r.measurement === 'coldstart');
  const control = rows.filter((r) => r.runtime !== slowed);
  return {
    judged: control.filter((r) => r.verdict !== 'too few samples').length,
    falseAlarms: control.filter((r) => r.verdict === 'better' || r.verdict === 'worse'),
    detected: rows.some((r) => r.runtime === slowed && r.phase === 'total' && r.verdict === 'worse'),
  };
}

/** Iteration counts to judge at: 15, 25, 40, 60, 100, 150, 200, 300, 400, 600, 1000, … below the run's own, and the run's own. */
export function iterationLadder(iterations: number): number[] {
  const rungs = [15, 25, 40, 60, 100, 150, 200, 300, 400, 600, 1000, 1500, 2000, 3000, 5000];
  return [...rungs.filter((n) => n < iterations), iterations];
}

/** The runtimes whose deploys can take an injected delay. */
const delayable = () => runtimeNames().filter((name) => runtimeDescriptor(name).delaySetting);

export async function aaCommand(scenarioFile: string, options: AaOptions): Promise<number> {
  const pairs = Number(options.pairs ?? 10);
  if (!Number.isInteger(pairs) || pairs < 1 || pairs > 1000) throw new UserError(`--pairs: expected a whole number from 1 to 1000, got "${options.pairs}"`);
  const slowdown = options.injectSlowdown === undefined ? 0 : Number(options.injectSlowdown.replace(/%$/, ''));
  if (!Number.isFinite(slowdown) || slowdown < 0 || slowdown > 1000)
    throw new UserError(`--inject-slowdown: expected a percentage such as 10%, got "${options.injectSlowdown}"`);
  const design = (options.design ?? 'interleaved') as Design;
  if (!DESIGNS.includes(design)) throw new UserError(`--design: expected ${DESIGNS.join(' or ')}, got "${options.design}"`);
  if (design === 'store' && pairs < 3) throw new UserError('--design store: --pairs must be at least 3 (the history a run is judged against needs 3 runs)');
  const scenario = await loadScenario(scenarioFile);
  if (options.out) await checkWritableDirectory('--out', dirname(resolve(options.out)));
  // The runtime whose deploys take an injected delay: a fact of its descriptor.
  const slowed = scenario.runtimes.find((name) => runtimeDescriptor(name).delaySetting);
  const delaySetting = slowed ? runtimeDescriptor(slowed).delaySetting! : undefined;
  if (slowdown > 0 && !slowed) {
    throw new UserError(
      `--inject-slowdown: the slowdown is injected into a runtime that can delay its deploys (${delayable().join(', ')}), which this scenario does not list`,
    );
  }
  if (!scenario.measurements.coldstart) throw new UserError(`${scenarioFile}: aa compares cold starts; this scenario has no coldstart measurement`);

  if (options.keepRuns) await mkdir(options.keepRuns, { recursive: true });
  const dir = options.keepRuns ? resolve(options.keepRuns) : await mkdtemp(join(tmpdir(), 'coldbench-aa-'));
  const run = async (label: string, arms?: Arm[], runtimes?: string): Promise<RunResult> => {
    const out = join(dir, label);
    const code = await runCommand({ scenarioFile, outDir: out, iterations: options.iterations, arms, runtimes });
    if (code !== 0) throw new Error(`run ${label} failed (exit ${code})`);
    return readResults(join(out, (await readdir(out))[0]!));
  };

  // Each arm's median cold-start total per runtime (unslowed arms only): their spread across runs, by label for display.
  const medians = new Map<string, number[]>();
  const keepMedians = (result: RunResult) => {
    for (const { label, median: m } of medianTotals(result).values()) medians.set(label, [...(medians.get(label) ?? []), m]);
  };
  // Judged both ways where the design pairs iterations (interleaved): paired first, as compare does;
  // and at every rung of a ladder of iteration counts, the first n iterations of each arm being what
  // a run of n iterations would have measured: false alarms and power against n from one series.
  const methods: ('paired' | 'unpaired')[] = design === 'interleaved' ? ['paired', 'unpaired'] : ['unpaired'];
  const ladder = iterationLadder(Number(options.iterations ?? scenario.measurements.coldstart?.iterations ?? 10));
  const tallies = new Map<string, { judged: number; falseAlarms: number; detected: number }>();
  const tally = (key: string, o: ArmsOutcome) => {
    const t = tallies.get(key) ?? { judged: 0, falseAlarms: 0, detected: 0 };
    tallies.set(key, { judged: t.judged + o.judged, falseAlarms: t.falseAlarms + o.falseAlarms.length, detected: t.detected + (o.detected ? 1 : 0) });
  };
  let judged = 0;
  let alarms = 0;
  let pairsWithAlarm = 0;
  let detected = 0;
  let delay = 0;
  try {
    if (slowdown > 0) {
      const pilot = medianTotals(await run('pilot', undefined, slowed)).get(identityKey({ runtime: slowed! }))?.median;
      if (pilot === undefined) throw new Error(`the pilot run measured no ${slowed} cold start`);
      delay = (pilot * slowdown) / 100;
      console.log(`pilot: ${slowed} cold start ${formatNumber(pilot)} ms median; arm B's ${slowed} deploys wait ${formatNumber(delay)} ms more (${slowdown}%)`);
    }
    const a: Arm = { name: 'a', settings: {} };
    const b: Arm = {
      name: 'b',
      settings: delay > 0 ? { [slowed!]: { ...(scenario[slowed!] as object | undefined), [delaySetting!]: Math.round(delay * 1000) / 1000 } } : {},
    };
    if (design === 'store') {
      // Store mode (src/store/aa-store.ts): arm A's runs are the history, each arm B run is judged against it.
      const { storeHistory, judgeAgainstStoredHistory } = await import('../store/aa-store.js');
      const storeDir = join(dir, 'store');
      const history: RunResult[] = [];
      for (let i = 0; i < pairs; i++) history.push(armResult(await run(`history${i}`, [a]), 'a'));
      history.forEach(keepMedians);
      await storeHistory(storeDir, history);
      for (let pair = 0; pair < pairs; pair++) {
        const armB = armResult(await run(`pair${pair}-b`, [b]), 'b');
        if (delay === 0) keepMedians(armB);
        const outcomes = (await judgeAgainstStoredHistory(storeDir, armB, pairs)).filter((o) => o.result !== 'no history');
        const target = (o: (typeof outcomes)[number]) => slowdown > 0 && o.runtime === slowed && o.quantity.endsWith('/coldstart total');
        const control = outcomes.filter((o) => !(slowdown > 0 && o.runtime === slowed));
        const falseAlarms = control.filter((o) => o.result === 'FAIL' || o.result === 'better');
        judged += control.length;
        alarms += falseAlarms.length;
        if (falseAlarms.length) pairsWithAlarm++;
        const hit = outcomes.find(target)?.result === 'FAIL';
        if (hit) detected++;
        console.log(
          `run ${pair + 1}/${pairs} against ${pairs} stored runs: ${falseAlarms.length} false alarm(s)${falseAlarms.length ? ` (${falseAlarms.map((o) => `${o.runtime} ${o.quantity} ${o.result}`).join(', ')})` : ''}${slowdown > 0 ? `; ${slowdown}% slowdown ${hit ? 'detected' : 'missed'}` : ''}`,
        );
      }
    }
    for (let pair = 0; design !== 'store' && pair < pairs; pair++) {
      let armA: RunResult;
      let armB: RunResult;
      if (design === 'interleaved') {
        const both = await run(`pair${pair}`, [a, b]);
        [armA, armB] = [armResult(both, 'a'), armResult(both, 'b')];
      } else {
        armA = armResult(await run(`pair${pair}-a`, [a]), 'a');
        armB = armResult(await run(`pair${pair}-b`, [b]), 'b');
      }
      keepMedians(armA);
      if (delay === 0) keepMedians(armB);
      const outcomes = ladder.map((n) => ({
        n,
        byMethod: methods.map((method) => judgeArms(armA, armB, n, method === 'paired', slowdown > 0 ? slowed : undefined)),
      }));
      for (const { n, byMethod } of outcomes) for (const [i, o] of byMethod.entries()) tally(`${n}/${methods[i]}`, o);
      const full = outcomes[outcomes.length - 1]!.byMethod;
      const main = full[0]!;
      judged += main.judged;
      alarms += main.falseAlarms.length;
      if (main.falseAlarms.length) pairsWithAlarm++;
      if (main.detected) detected++;
      const others = methods
        .slice(1)
        .map((m, i) => `${m}: ${full[i + 1]!.falseAlarms.length} false alarm(s)${slowdown > 0 ? `, ${full[i + 1]!.detected ? 'detected' : 'missed'}` : ''}`);
      console.log(
        `pair ${pair + 1}/${pairs} (${methods[0]}): ${main.falseAlarms.length} false alarm(s)${main.falseAlarms.length ? ` (${main.falseAlarms.map((r) => `${runtimeLabel(r)}/${r.phase} ${r.verdictText}`).join(', ')})` : ''}${slowdown > 0 ? `; ${slowdown}% slowdown ${main.detected ? 'detected' : 'missed'}` : ''}${others.length ? ` [${others.join('; ')}]` : ''}`,
      );
    }
  } finally {
    if (!options.keepRuns) await rm(dir, { recursive: true, force: true });
  }
  const runToRunCv = Object.fromEntries([...medians].filter(([, m]) => m.length > 1).map(([runtime, m]) => [runtime, sampleStandardDeviation(m) / mean(m)]));
  for (const [runtime, cv] of Object.entries(runToRunCv)) {
    const m = medians.get(runtime)!;
    console.log(
      `run-to-run: ${runtime} median cold start ${formatNumber(Math.min(...m))}–${formatNumber(Math.max(...m))} ms over ${m.length} arms, cv ${formatNumber(cv * 100)}%`,
    );
  }
  // The iteration ladder judges arms against each other; the store design judges runs against a history instead.
  const byIterations =
    design === 'store'
      ? undefined
      : ladder.map((n) => ({
          iterations: n,
          ...Object.fromEntries(
            methods.map((m) => {
              const t = tallies.get(`${n}/${m}`)!;
              return [m, { ...t, falseAlarmRate: t.judged ? t.falseAlarms / t.judged : 0, ...(slowdown > 0 ? { power: t.detected / pairs } : {}) }];
            }),
          ),
        }));
  if (byIterations)
    console.log(
      textTable(
        ['iterations', ...methods.flatMap((m) => [`${m}: false alarms`, ...(slowdown > 0 ? [`${m}: power`] : [])])],
        ladder.map((n) => [
          String(n),
          ...methods.flatMap((m) => {
            const t = tallies.get(`${n}/${m}`)!;
            return [`${t.falseAlarms}/${t.judged}`, ...(slowdown > 0 ? [`${t.detected}/${pairs}`] : [])];
          }),
        ]),
      ),
    );
  const summary = {
    design,
    method: design === 'store' ? 'against-store' : methods[0],
    ...(byIterations ? { byIterations } : {}),
    runToRunCv,
    scenario: scenario.name,
    pairs,
    iterations: options.iterations ?? scenario.measurements.coldstart.iterations,
    comparisons: judged,
    falseAlarms: alarms,
    falseAlarmRate: judged ? alarms / judged : 0,
    pairsWithAnyFalseAlarm: pairsWithAlarm,
    ...(slowdown > 0 ? { injectedSlowdownPercent: slowdown, injectedDelayMs: delay, detected, power: detected / pairs } : {}),
  };
  console.log(
    `A/A (${design}): ${alarms} false alarm(s) in ${judged} comparisons (${formatNumber(summary.falseAlarmRate * 100)}%); ${pairsWithAlarm} of ${pairs} pairs had at least one`,
  );
  if (slowdown > 0)
    console.log(
      `power: a ${slowdown}% slowdown of ${slowed} cold start was detected in ${detected} of ${pairs} pairs (${formatNumber((detected / pairs) * 100)}%)`,
    );
  if (options.out) await writeJsonAtomic(options.out, summary);
  return 0;
}
