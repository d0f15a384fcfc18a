// The A/A self-test's store mode (`coldbench aa --design store`): arm A's runs become a machine's
// history in an embedded store, and each run of arm B is judged against it as
// `assert --against-store` judges a new run. With identical arms every FAIL or "better" is a
// false alarm; with --inject-slowdown, a FAIL on the slowed runtime's total is a detection.
import { judge } from '../measure/registry.js';
import type { RunResult } from '../results/types.js';
import { summarize } from '../stats/summarize.js';
import { addRun } from './add.js';
import { type GateOutcome, gateAgainstStore } from './gate.js';
import { withStore } from './open.js';

/** Summaries follow the samples (an arm's run keeps only its own). */
const resummarized = (run: RunResult): RunResult => ({ ...run, summaries: summarize(run.samples) });

export async function storeHistory(storeDir: string, runs: readonly RunResult[]): Promise<void> {
  await withStore(storeDir, { create: true }, async (db) => {
    for (const run of runs) await db.transaction((tx) => addRun(tx, resummarized(run)));
  });
}

/** The cold-start outcomes of `run` against the last `last` runs in the store. */
export async function judgeAgainstStoredHistory(storeDir: string, run: RunResult, last: number): Promise<GateOutcome[]> {
  const outcomes = await gateAgainstStore([resummarized(run)], judge, { db: storeDir, last });
  return outcomes.filter((o) => o.quantity.includes('/coldstart '));
}
