// The append-only journal beside a results file being written (`<run>.journal.ndjson`): one JSON
// line per recorded batch, so recording costs the batch's size, not the run's. The results file
// itself is rewritten whole only at the end of each unit and at exit. A reader replays the
// journal onto the file. Each line sets items at a position of one of the file's lists, so
// replaying lines the file already holds changes nothing (a run killed between writing the file
// and emptying the journal reads right), and the last line may be torn by a kill -9.
import { closeSync, ftruncateSync, openSync, writeSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { RunResult } from './types.js';

/** The lists of a results file that grow during a run. */
export const JOURNALED_LISTS = ['samples', 'artifacts', 'densityRamps', 'latencyHistograms', 'noise', 'warnings'] as const;
export type JournaledList = (typeof JOURNALED_LISTS)[number];

/** First line: whose journal it is, so a reader can tell a live run from a killed one. */
export interface JournalHeader {
  journal: 1;
  runId: string;
  pid: number;
}

/** `result[list][at + i] = items[i]`. */
export interface JournalEntry {
  list: JournaledList;
  at: number;
  items: unknown[];
}

export function journalPath(resultsFile: string): string {
  return `${resultsFile.replace(/\.json$/, '')}.journal.ndjson`;
}

/** The writing end, held open by the recorder for the whole run. */
export class JournalWriter {
  private readonly fd: number;
  private readonly headerBytes: number;

  constructor(
    readonly file: string,
    header: JournalHeader,
  ) {
    this.fd = openSync(file, 'w');
    const line = Buffer.from(`${JSON.stringify(header)}\n`);
    writeSync(this.fd, line);
    this.headerBytes = line.length;
  }

  /** One write(2) of one line: a kill -9 leaves it whole or, at worst, the last line torn. */
  append(entry: JournalEntry): void {
    writeSync(this.fd, `${JSON.stringify(entry)}\n`);
  }

  /** After the results file was written whole: what the journal held is in it now. */
  empty(): void {
    ftruncateSync(this.fd, this.headerBytes);
  }

  close(): void {
    closeSync(this.fd);
  }
}

export interface Journal {
  header: JournalHeader;
  entries: JournalEntry[];
}

/** The journal beside a results file, or undefined when there is none (a finished run). */
export async function readJournal(file: string): Promise<Journal | undefined> {
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (text === undefined) return undefined;
  const lines = text.split('\n');
  const parsed: unknown[] = [];
  for (const [i, line] of lines.entries()) {
    if (line === '') continue;
    try {
      parsed.push(JSON.parse(line));
    } catch {
      if (i >= lines.length - 2) break; // the last line, torn by a kill in the middle of writing it
      throw new Error(`${file}:${i + 1}: not JSON; expected one journal entry per line`);
    }
  }
  const [header, ...entries] = parsed;
  if (!isHeader(header)) throw new Error(`${file}:1: expected the journal's header ({"journal":1,"runId":…,"pid":…})`);
  for (const [i, entry] of entries.entries()) {
    if (!isEntry(entry)) throw new Error(`${file}:${i + 2}: expected {"list": one of ${JOURNALED_LISTS.join(', ')}, "at": a position, "items": [...]}`);
  }
  return { header, entries: entries as JournalEntry[] };
}

/** The results file with the journal's entries applied (a new object; `result` is left as it was). */
export function replayJournal(result: RunResult, entries: JournalEntry[]): RunResult {
  const merged = { ...result };
  const lists = merged as unknown as Record<JournaledList, unknown[] | undefined>;
  for (const list of JOURNALED_LISTS) if (lists[list]) lists[list] = [...lists[list]!];
  for (const { list, at, items } of entries) {
    lists[list] ??= [];
    const target = lists[list];
    // A gap would mean lost lines: keep the list dense rather than invent holes.
    const start = Math.min(at, target.length);
    target.splice(start, items.length, ...items);
  }
  return merged;
}

function isHeader(value: unknown): value is JournalHeader {
  const header = value as JournalHeader | undefined;
  return header?.journal === 1 && typeof header.runId === 'string' && Number.isInteger(header.pid);
}

function isEntry(value: unknown): value is JournalEntry {
  const entry = value as JournalEntry | undefined;
  return (
    typeof entry === 'object' &&
    entry !== null &&
    (JOURNALED_LISTS as readonly string[]).includes(entry.list) &&
    Number.isInteger(entry.at) &&
    entry.at >= 0 &&
    Array.isArray(entry.items)
  );
}
