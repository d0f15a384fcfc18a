// Reads runs back out of the store: a whole run (equal to the results file it came from), the
// runs a machine made, and the summaries history pages and gates need.
import type { RunResult, Summary } from '../results/types.js';
import { RECORD_LISTS } from './add.js';
import { sampleFromRow, summaryFromRow } from './columns.js';
import type { Queryable } from './database.js';

export interface StoredRun {
  runId: string;
  machine: string;
  arch: string;
  scenario: string;
  status: string;
  startedAt: string;
  gitSha: string;
  gitDirty: boolean | null;
}

const RUN_FIELDS = `run_id AS "runId", machine, arch, scenario, status, to_char(started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "startedAt",
  git_sha AS "gitSha", git_dirty AS "gitDirty"`;

export interface RunFilter {
  machine?: string;
  scenario?: string;
  /** Only runs that started before this run id's start (the history before a new run). */
  before?: string;
  /** The newest N. */
  last?: number;
}

/** Runs, oldest first. */
export async function listRuns(db: Queryable, filter: RunFilter = {}): Promise<StoredRun[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (condition: string, value: unknown) => {
    params.push(value);
    where.push(condition.replace('?', `$${params.length}`));
  };
  if (filter.machine !== undefined) add('machine = ?', filter.machine);
  if (filter.scenario !== undefined) add('scenario = ?', filter.scenario);
  if (filter.before !== undefined) add('started_at < ?', filter.before);
  const limit = filter.last !== undefined ? ` LIMIT ${Math.max(0, Math.floor(filter.last))}` : '';
  const rows = await db.query<StoredRun>(
    `SELECT * FROM (SELECT ${RUN_FIELDS}, started_at AS at FROM coldbench.runs ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
     ORDER BY started_at DESC, run_id DESC${limit}) newest ORDER BY at, "runId"`,
    params,
  );
  return rows.map(({ at: _at, ...run }: StoredRun & { at?: unknown }) => run);
}

/** The run as its results file held it, or undefined when the store does not hold it. */
export async function readRun(db: Queryable, runId: string): Promise<RunResult | undefined> {
  const [run] = await db.query<{ head: string | Record<string, unknown> }>('SELECT head::text AS head FROM coldbench.runs WHERE run_id = $1', [runId]);
  if (!run) return undefined;
  const head = (typeof run.head === 'string' ? JSON.parse(run.head) : run.head) as Record<string, unknown>;
  const [samples] = await db.query<{ rows: string | null }>(`SELECT json_agg(s ORDER BY ord)::text AS rows FROM coldbench.samples s WHERE run_id = $1`, [
    runId,
  ]);
  head.samples = JSON.parse(samples?.rows ?? '[]').map(sampleFromRow);
  head.summaries = await readSummaries(db, runId);
  const records = await db.query<{ list: string; docs: string }>(
    'SELECT list, json_agg(doc ORDER BY ord)::text AS docs FROM coldbench.records WHERE run_id = $1 GROUP BY list',
    [runId],
  );
  for (const list of RECORD_LISTS) {
    const found = records.find((r) => r.list === list);
    if (found) head[list] = JSON.parse(found.docs);
  }
  return head as unknown as RunResult;
}

export async function readSummaries(db: Queryable, runId: string): Promise<Summary[]> {
  const [row] = await db.query<{ rows: string | null }>(`SELECT json_agg(s ORDER BY ord)::text AS rows FROM coldbench.summaries s WHERE run_id = $1`, [runId]);
  return JSON.parse(row?.rows ?? '[]').map(summaryFromRow);
}

/** Summaries of many runs at once, with each run's id. */
export async function summariesOf(db: Queryable, runIds: string[]): Promise<Map<string, Summary[]>> {
  const byRun = new Map<string, Summary[]>(runIds.map((id) => [id, []]));
  if (runIds.length === 0) return byRun;
  const [row] = await db.query<{ rows: string | null }>(
    `SELECT json_agg(s ORDER BY run_id, ord)::text AS rows FROM coldbench.summaries s WHERE run_id = ANY($1::text[])`,
    [runIds],
  );
  for (const r of JSON.parse(row?.rows ?? '[]') as Record<string, unknown>[]) byRun.get(r.run_id as string)?.push(summaryFromRow(r));
  return byRun;
}
