// `coldbench store add|list|export|prune`: results files into a store (embedded in a folder by
// default, PostgreSQL with --db postgres://… or COLDBENCH_DB), what it holds, a run back out as a
// results file, and retention. Every file is checked before the store is opened: a bad one is one
// line and nothing is written.
import { UserError } from '../errors.js';
import { formatBytes, formatMs, plural } from '../format.js';
import { readResults } from '../results/read.js';
import type { RunResult } from '../results/types.js';
import { writeJsonAtomic } from '../results/write.js';
import { addRun } from '../store/add.js';
import type { Database } from '../store/database.js';
import { withStore } from '../store/open.js';
import { parseAge, pruneRuns } from '../store/prune.js';
import { listRuns, readRun } from '../store/read.js';
import { textTable } from '../text-table.js';

export interface StoreOptions {
  db?: string;
  keepRuns?: string;
  olderThan?: string;
  out?: string;
}

export const STORE_SUBCOMMANDS = ['add', 'list', 'export', 'prune'] as const;

export async function storeCommand([sub, ...args]: string[], options: StoreOptions): Promise<number> {
  switch (sub) {
    case 'add':
      return add(args, options);
    case 'list':
      if (args.length) throw new UserError(`store list: unexpected argument "${args[0]}"`);
      return withStore(options.db, {}, async (db) => {
        const runs = await listRuns(db);
        console.log(
          textTable(
            ['run', 'started', 'machine', 'scenario', 'status', 'git'],
            runs.map((r) => [r.runId, r.startedAt, r.machine, r.scenario, r.status, r.gitSha.slice(0, 10)]),
          ),
        );
        await sayStore(db, runs.length);
        return 0;
      });
    case 'export':
      return exportRun(args, options);
    case 'prune':
      return prune(args, options);
    default:
      throw new UserError(`expected a subcommand, one of: ${STORE_SUBCOMMANDS.join(', ')}${sub ? ` (got "${sub}")` : ''} (see coldbench store --help)`);
  }
}

async function add(files: string[], options: StoreOptions): Promise<number> {
  if (files.length === 0) throw new UserError('store add: give at least one results file (coldbench store add results/*.json)');
  const results: { file: string; result: RunResult }[] = [];
  for (const file of files) results.push({ file, result: await readResults(file) });
  return withStore(options.db, { create: true }, async (db) => {
    for (const { file, result } of results) {
      const started = performance.now();
      // A large run takes a while: say what is happening.
      if (result.samples.length >= 10_000) console.error(`store: adding run ${result.runId} (${plural(result.samples.length, 'sample')})`);
      const outcome = await db.transaction((tx) => addRun(tx, result));
      const took = formatMs(performance.now() - started);
      const what = outcome === 'present' ? 'already stored' : `${outcome} (${plural(result.samples.length, 'sample')}, ${took})`;
      console.log(`${file}: run ${result.runId} ${what}`);
    }
    await sayStore(db);
    return 0;
  });
}

async function exportRun(args: string[], options: StoreOptions): Promise<number> {
  const [runId, extra] = args;
  if (!runId || extra !== undefined) throw new UserError('store export: name one run (coldbench store export RUN_ID --out results/RUN_ID.json)');
  if (!options.out) throw new UserError('store export: --out FILE is required (the results file to write)');
  return withStore(options.db, {}, async (db) => {
    const result = await readRun(db, runId);
    if (!result) throw new UserError(`store export: run "${runId}" is not in the store at ${db.where} (coldbench store list shows what is)`);
    await writeJsonAtomic(options.out!, result);
    console.log(`store: run ${runId} written to ${options.out}`);
    return 0;
  });
}

async function prune(args: string[], options: StoreOptions): Promise<number> {
  if (args.length) throw new UserError(`store prune: unexpected argument "${args[0]}"`);
  let keepRuns: number | undefined;
  let olderThan: Date | undefined;
  if (options.keepRuns !== undefined) {
    keepRuns = Number(options.keepRuns);
    if (!Number.isInteger(keepRuns) || keepRuns < 1) throw new UserError(`--keep-runs: expected a whole number of runs, at least 1, got "${options.keepRuns}"`);
  }
  if (options.olderThan !== undefined) {
    const ms = parseAge(options.olderThan);
    if (ms === undefined) throw new UserError(`--older-than: expected an age such as 90d, 12h or 2w, got "${options.olderThan}"`);
    olderThan = new Date(Date.now() - ms);
  }
  if (keepRuns === undefined && olderThan === undefined)
    throw new UserError('store prune: say what to keep: --keep-runs N (per machine and scenario) and/or --older-than AGE');
  return withStore(options.db, {}, async (db) => {
    const before = await db.sizeBytes();
    const removed = await pruneRuns(db, { keepRuns, olderThan });
    console.log(removed.length ? `store: removed ${plural(removed.length, 'run')}: ${removed.join(', ')}` : 'store: nothing to remove');
    await sayStore(db, undefined, before);
    return 0;
  });
}

/** "store: results/store (embedded), 12 runs, 48 MiB". */
async function sayStore(db: Database, runs?: number, before?: number): Promise<void> {
  const count = runs ?? (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM coldbench.runs'))[0]?.n ?? 0;
  const size = await db.sizeBytes();
  const change = before !== undefined ? ` (was ${formatBytes(before)})` : '';
  console.log(`store: ${db.where} (${db.kind === 'embedded' ? 'embedded' : 'PostgreSQL'}), ${plural(count, 'run')}, ${formatBytes(size)}${change}`);
}
