// The embedded store: PGlite (PostgreSQL compiled to Wasm, installed from npm with no compiler
// and no download) keeping its data in a folder. One process at a time holds it (lock.ts).
import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { UserError } from '../errors.js';
import { makeDirectories } from '../results/write.js';
import type { Database, Queryable } from './database.js';
import { acquireLock } from './lock.js';

export const LOCK_FILE = 'coldbench.lock';

export interface EmbeddedOptions {
  /** Make the folder when it is missing (store add); otherwise a missing store is an error. */
  create: boolean;
  /** How long to wait for another process that holds the store (default 120 s). */
  waitMs?: number;
  source: string;
}

/** Why `dir` cannot be the embedded store, or undefined when it can (or does not exist yet). */
async function folderProblem(dir: string): Promise<'missing' | string | undefined> {
  const info = await stat(dir).catch(() => undefined);
  if (!info) return 'missing';
  if (!info.isDirectory()) return 'not a folder';
  const names = await readdir(dir);
  if (names.length && !names.includes('PG_VERSION') && names.some((n) => n !== LOCK_FILE))
    return 'a folder that is not a coldbench store (it has no PG_VERSION)';
  return undefined;
}

export async function openEmbedded(dir: string, options: EmbeddedOptions): Promise<Database> {
  const path = resolve(dir);
  const problem = await folderProblem(path);
  if (problem === 'missing' && !options.create)
    throw new UserError(`${options.source}: no store at ${path}; put runs into it first (coldbench store add results/*.json)`);
  if (problem && problem !== 'missing') throw new UserError(`${options.source}: ${path} is ${problem}; expected a coldbench store folder`);
  try {
    await makeDirectories(path);
  } catch (error) {
    throw new UserError(`${options.source}: cannot make ${path} (${(error as NodeJS.ErrnoException).code ?? error}); expected a folder this user can write`);
  }
  const lock = await acquireLock(join(path, LOCK_FILE), options.waitMs ?? 120_000, (pid) =>
    console.error(`store: waiting for process ${pid ?? '(unknown)'}, which is using ${path}`),
  ).catch((error: Error) => {
    throw new UserError(`${options.source}: the store ${error.message}`);
  });
  let pg: PGlite;
  try {
    const { PGlite } = await import('@electric-sql/pglite');
    pg = await PGlite.create(path);
  } catch (error) {
    await lock.release();
    throw new UserError(`${options.source}: cannot open the store in ${path} (${(error as Error).message})`);
  }
  const run = async <Row>(db: Pick<PGlite, 'query'>, sql: string, params?: unknown[]) => (await db.query<Row>(sql, params)).rows;
  return {
    kind: 'embedded',
    where: path,
    query: (sql, params) => run(pg, sql, params),
    transaction: (work) =>
      pg.transaction((tx) =>
        work({
          query: (sql, params) => run(tx, sql, params),
          // COPY from a CSV blob: about twice as fast as INSERT … json_to_recordset in PGlite.
          copyRows: async (table, columns, rows) => {
            await tx.query(`COPY ${table} (${columns.join(', ')}) FROM '/dev/blob' WITH (FORMAT csv)`, [], { blob: new Blob([toCsv(rows)]) });
          },
        } as Queryable),
      ),
    sizeBytes: () => folderBytes(path),
    async close() {
      try {
        await pg.close();
      } finally {
        await lock.release();
      }
    },
  };
}

/** CSV as COPY reads it: NULL is an empty field, text is always quoted (so "" is the empty string). */
function toCsv(rows: readonly (readonly unknown[])[]): string {
  const field = (v: unknown) => (v === null || v === undefined ? '' : typeof v === 'string' ? `"${v.replace(/"/g, '""')}"` : String(v));
  return rows.map((row) => row.map(field).join(',')).join('\n');
}

async function folderBytes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += await folderBytes(path);
    else total += (await stat(path).catch(() => undefined))?.size ?? 0;
  }
  return total;
}
