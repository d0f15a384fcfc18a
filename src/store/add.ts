// Puts one run into the store, whole or not at all (one transaction), keyed by its run id: adding
// a run the store holds does nothing, except that a run stored while it was still running is
// replaced by its finished file. Samples go in batches, each batch one JSON parameter.
import type { RunResult } from '../results/types.js';
import { recordset, SAMPLE_COLUMNS, SUMMARY_COLUMNS, summaryRow } from './columns.js';
import type { Queryable } from './database.js';
import { machineKey } from './machine.js';

/** The lists stored one record per row, as in the results file and its journal. */
export const RECORD_LISTS = ['runtimes', 'artifacts', 'densityRamps', 'latencyHistograms', 'noise', 'warnings'] as const;

const BATCH = 10_000;

export type AddOutcome = 'added' | 'replaced' | 'present';

export async function addRun(tx: Queryable, result: RunResult): Promise<AddOutcome> {
  const [stored] = await tx.query<{ status: string }>('SELECT status FROM coldbench.runs WHERE run_id = $1 FOR UPDATE', [result.runId]);
  if (stored && !(stored.status === 'running' && result.status !== 'running')) return 'present';
  if (stored) await tx.query('DELETE FROM coldbench.runs WHERE run_id = $1', [result.runId]);
  // The head keeps the file's own key order (the lists are filled back in on reading).
  const head = Object.fromEntries(
    Object.entries(result).map(([key, value]) => [
      key,
      key === 'samples' || key === 'summaries' || (RECORD_LISTS as readonly string[]).includes(key) ? [] : value,
    ]),
  );
  const inserted = await tx.query(
    `INSERT INTO coldbench.runs (run_id, machine, arch, scenario, status, started_at, git_sha, git_dirty, head)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (run_id) DO NOTHING RETURNING run_id`,
    [
      result.runId,
      machineKey(result.fingerprint),
      result.fingerprint.arch,
      result.scenario.name,
      result.status,
      result.startedAt,
      result.fingerprint.gitSha,
      result.fingerprint.gitDirty ?? null,
      JSON.stringify(head),
    ],
  );
  if (inserted.length === 0) return 'present'; // another writer stored it meanwhile (PostgreSQL)
  await insertBatches(
    tx,
    'samples',
    SAMPLE_COLUMNS,
    result.runId,
    result.samples.map((s, ord) => ({ ...s, ord })),
  );
  await insertBatches(
    tx,
    'summaries',
    SUMMARY_COLUMNS,
    result.runId,
    result.summaries.map((s, ord) => summaryRow(s, ord)),
  );
  for (const list of RECORD_LISTS) {
    const items = (result[list] ?? []) as unknown[];
    for (let at = 0; at < items.length; at += BATCH) {
      await tx.query(
        `INSERT INTO coldbench.records (run_id, list, ord, doc) SELECT $1, $2, ord - 1 + $4, doc FROM json_array_elements($3::json) WITH ORDINALITY AS x(doc, ord)`,
        [result.runId, list, JSON.stringify(items.slice(at, at + BATCH)), at],
      );
    }
  }
  return stored ? 'replaced' : 'added';
}

async function insertBatches(
  tx: Queryable,
  table: string,
  columns: readonly (readonly [string, string])[],
  runId: string,
  rows: Record<string, unknown>[],
): Promise<void> {
  if (tx.copyRows) {
    await tx.copyRows(
      `coldbench.${table}`,
      ['run_id', ...columns.map(([name]) => name)],
      rows.map((row) => [runId, ...columns.map(([name]) => row[name])]),
    );
    return;
  }
  const names = columns.map(([name]) => name).join(', ');
  for (let at = 0; at < rows.length; at += BATCH) {
    await tx.query(`INSERT INTO coldbench.${table} (run_id, ${names}) SELECT $1, ${names} FROM ${recordset('$2', columns)}`, [
      runId,
      JSON.stringify(rows.slice(at, at + BATCH)),
    ]);
  }
}
