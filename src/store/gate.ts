// `assert --against-store`: a new run judged against the last N runs of the same machine and
// scenario in the store, not against one file. Per quantity that `compare` judges, the reference
// is the median of the earlier runs' medians and the noise their spread (1.4826 × MAD, a robust
// standard deviation): a regression is worse than the reference by more than --fail-on-regression
// percent AND more than 3 of those standard deviations (a lookback z-score, as conbench does), so
// a machine whose runs wander by 10 % does not alarm on a 10 % wobble.
import { median } from 'simple-statistics';
import { UserError } from '../errors.js';
import { formatNumber } from '../format.js';
import type { Better } from '../measure/types.js';
import { identityKey, runtimeLabel } from '../results/identity.js';
import { isCategory, type RunResult, type Summary, sampleKey } from '../results/types.js';
import { machineKey } from './machine.js';
import { withStore } from './open.js';
import { listRuns, summariesOf } from './read.js';
import { quantityName } from './series.js';

export interface GateOptions {
  db?: string;
  /** How many earlier runs of the machine to judge against (default 10). */
  last?: number;
  /** A regression must be worse by more than this fraction (default 0.1). */
  failOnRegression?: number;
  /** … and by more than this many robust standard deviations of the earlier runs (default 3). */
  zLimit?: number;
  /** Fewer earlier runs than this: no verdict (default 3). */
  minRuns?: number;
}

export const GATE_DEFAULTS = { last: 10, failOnRegression: 0.1, zLimit: 3, minRuns: 3 } as const;

export interface GateOutcome {
  result: 'pass' | 'FAIL' | 'better' | 'no history';
  quantity: string;
  runtime: string;
  runId: string;
  detail: string;
}

const quantityKey = (s: Summary) => `${sampleKey(s)}\u0001${identityKey(s)}`;

/** Pure: one outcome per judged quantity of `run`, against the earlier runs' summaries. */
export function judgeAgainstHistory(
  run: RunResult,
  history: readonly Summary[][],
  judge: (s: Summary) => Better | undefined,
  options: Omit<GateOptions, 'db'> = {},
): GateOutcome[] {
  const { failOnRegression, zLimit, minRuns } = { ...GATE_DEFAULTS, ...options };
  const earlier = new Map<string, number[]>();
  for (const summaries of history) for (const s of summaries) earlier.set(quantityKey(s), [...(earlier.get(quantityKey(s)) ?? []), s.median]);
  const outcomes: GateOutcome[] = [];
  for (const s of run.summaries) {
    const better = judge(s);
    if (!better || isCategory(s) || s.runtime === null) continue;
    const base = { quantity: `${s.workload}/${quantityName(s)}`, runtime: runtimeLabel(s), runId: run.runId };
    const medians = earlier.get(quantityKey(s)) ?? [];
    if (medians.length < minRuns) {
      outcomes.push({ ...base, result: 'no history', detail: `${medians.length} earlier run(s) of this machine measured it; ${minRuns} needed` });
      continue;
    }
    const reference = median(medians);
    const spread = 1.4826 * median(medians.map((m) => Math.abs(m - reference)));
    const worseBy = (better === 'lower' ? 1 : -1) * (s.median / reference - 1);
    const z =
      spread > 0 ? ((better === 'lower' ? 1 : -1) * (s.median - reference)) / spread : worseBy > 0 ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
    const result = worseBy > failOnRegression && z > zLimit ? 'FAIL' : -worseBy > failOnRegression && -z > zLimit ? 'better' : 'pass';
    const sign = s.median >= reference ? '+' : '';
    outcomes.push({
      ...base,
      result,
      detail: `median ${formatNumber(s.median)} ${s.unit} vs ${formatNumber(reference)} (median of ${medians.length} runs, spread ${formatNumber(spread)}): ${sign}${formatNumber((s.median / reference - 1) * 100)} %, z ${Number.isFinite(z) ? formatNumber(z) : z > 0 ? '∞' : '-∞'}`,
    });
  }
  return outcomes;
}

/** Each run judged against the store's earlier runs of its machine and scenario. */
export async function gateAgainstStore(
  runs: readonly RunResult[],
  judge: (s: Summary) => Better | undefined,
  options: GateOptions = {},
): Promise<GateOutcome[]> {
  const last = options.last ?? GATE_DEFAULTS.last;
  return withStore(options.db, {}, async (db) => {
    const outcomes: GateOutcome[] = [];
    for (const run of runs) {
      const earlier = (await listRuns(db, { machine: machineKey(run.fingerprint), scenario: run.scenario.name, before: run.startedAt, last: last + 1 }))
        .filter((r) => r.runId !== run.runId && r.status !== 'running')
        .slice(-last);
      const summaries = await summariesOf(
        db,
        earlier.map((r) => r.runId),
      );
      outcomes.push(...judgeAgainstHistory(run, [...summaries.values()], judge, options));
    }
    return outcomes;
  });
}

/** assert's rows (result, budget, runtime, run, measured) for --against-store, from its option strings. */
export async function againstStoreRows(
  runs: readonly RunResult[],
  judge: (s: Summary) => Better | undefined,
  options: { db?: string; last?: string; failOnRegression?: string },
): Promise<{ rows: string[][]; failed: number }> {
  const last = options.last === undefined ? GATE_DEFAULTS.last : Number(options.last);
  if (!Number.isInteger(last) || last < 1) throw new UserError(`--last: expected a whole number of runs, at least 1, got "${options.last}"`);
  const percent = options.failOnRegression === undefined ? GATE_DEFAULTS.failOnRegression * 100 : Number(options.failOnRegression.replace(/%$/, ''));
  if (!Number.isFinite(percent) || percent < 0) throw new UserError(`--fail-on-regression: expected a percentage, e.g. 10, got "${options.failOnRegression}"`);
  const outcomes = await gateAgainstStore(runs, judge, { db: options.db, last, failOnRegression: percent / 100 });
  return {
    rows: outcomes.map((o) => [o.result, `${o.quantity} vs the last ${last} runs of this machine`, o.runtime, o.runId, o.detail]),
    failed: outcomes.filter((o) => o.result === 'FAIL').length,
  };
}
