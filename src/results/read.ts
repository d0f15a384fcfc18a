// Reads results files for report, compare and claims: checks each is a coldbench results file
// (schema 1 to 3; older schemas are converted), with one-line errors naming the file and the field.
// A run still being written, or killed, has a journal beside its file: it is replayed onto the
// file, and once the run's harness is gone the merged file is written back and the journal removed.
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import { isAlive } from '../runtimes/process-marker.js';
import { summarize } from '../stats/summarize.js';
import { journalPath, readJournal, replayJournal } from './journal.js';
import { resultShapeProblem } from './shape.js';
import { type RunResult, SCHEMA_VERSION } from './types.js';
import { readableSchema, upgradeToCurrent } from './upgrade.js';
import { temporaryFile, writeJsonAtomic } from './write.js';

const MAX_BYTES = 512 * 1024 * 1024;

export async function readResults(file: string): Promise<RunResult> {
  let text: string;
  try {
    const info = await stat(file);
    if (!info.isFile()) throw new UserError(`${file}: not a regular file; expected a results file written by coldbench run`);
    if (info.size > MAX_BYTES) throw new UserError(`${file}: ${info.size} bytes; results files above ${MAX_BYTES} bytes are refused`);
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw new UserError(`${file}: cannot read results (${(error as NodeJS.ErrnoException).code ?? error})`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new UserError(`${file}: not JSON; expected a results file written by coldbench run`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new UserError(`${file}: expected a JSON object written by coldbench run`);
  const version = (value as { schemaVersion?: unknown }).schemaVersion;
  if (!readableSchema(version)) {
    throw new UserError(`${file}: schemaVersion: expected 1 to ${SCHEMA_VERSION}, got ${JSON.stringify(version) ?? 'nothing'}`);
  }
  const journal = await readJournal(journalPath(file)).catch((error: Error) => {
    throw new UserError(error.message);
  });
  // The journal is in its file's schema: replayed first, then both are upgraded together.
  const written = journal ? replayJournal(value as RunResult, journal.entries) : (value as RunResult);
  const result = upgradeToCurrent(written as unknown as Record<string, unknown>)!;
  const problem = resultShapeProblem(result);
  if (problem) throw new UserError(`${file}: ${problem}`);
  // Summaries are derived data: recomputing them keeps reports right for files from older versions.
  const defaults = { densityRamps: [], artifacts: [], warnings: [], runtimes: [] };
  const read = { ...defaults, ...result, summaries: summarize(result.samples) };
  return journal && !isAlive(journal.header.pid) ? tidy(file, read, journal.header.pid) : read;
}

/**
 * Tidies the results files in `dir` whose run was killed (`coldbench clean`): each journal is
 * merged into its file, and one without a file (killed before it recorded anything) removed.
 */
export async function tidyResultsIn(dir: string): Promise<number> {
  const names = await readdir(dir).catch(() => [] as string[]);
  let tidied = 0;
  for (const name of names.filter((n) => n.endsWith('.journal.ndjson'))) {
    const journal = await readJournal(join(dir, name)).catch(() => undefined);
    if (journal && isAlive(journal.header.pid)) continue;
    const file = join(dir, name.replace(/\.journal\.ndjson$/, '.json'));
    if (!(await stat(file).catch(() => undefined))) await rm(join(dir, name), { force: true });
    else if (
      !(await readResults(file).then(
        () => true,
        () => false,
      ))
    )
      continue; // not ours to fix: report and compare say what is wrong
    tidied++;
  }
  return tidied;
}

// The harness is gone: a run it left "running" was killed. The merged file replaces both (and any
// temporary file a kill in the middle of a save left); a file that cannot be written (a
// read-only folder) is still read, merged, as it is.
async function tidy(file: string, result: RunResult, pid: number): Promise<RunResult> {
  const journal = journalPath(file);
  if (result.status === 'running') {
    const lastRecorded = ((await stat(journal).catch(() => undefined))?.mtime ?? new Date()).toISOString();
    result.status = 'interrupted';
    result.finishedAt = lastRecorded;
    result.warnings.push({
      kind: 'interrupted',
      message: `the run ended without finishing (its harness was killed); the file holds what it recorded until ${lastRecorded}`,
    });
  }
  try {
    await writeJsonAtomic(file, result);
    await rm(journal, { force: true });
    for (const sync of [false, true]) await rm(temporaryFile(file, pid, sync), { force: true });
  } catch {
    // read-only: the next read merges again
  }
  return result;
}
