// Opens the store a command names (--db, COLDBENCH_DB or the default folder) and brings its schema
// up to date. A store that cannot be opened is one line (UserError, exit 2), with nothing written.
import { UserError } from '../errors.js';
import type { Database } from './database.js';
import { openEmbedded } from './embedded.js';
import { locateStore } from './locate.js';
import { migrate } from './migrations.js';
import { openPostgres } from './postgres.js';

export interface OpenOptions {
  /** Make an embedded store that does not exist yet (store add); reading commands refuse a missing one. */
  create?: boolean;
  /** How long to wait for another process holding the embedded store. */
  waitMs?: number;
}

export async function openStore(db: string | undefined, options: OpenOptions = {}): Promise<Database> {
  const location = locateStore(db);
  const database =
    location.kind === 'postgres'
      ? await openPostgres(location.url, location.source)
      : await openEmbedded(location.dir, { create: options.create ?? false, waitMs: options.waitMs, source: location.source });
  try {
    await migrate(database);
  } catch (error) {
    await database.close().catch(() => {});
    throw new UserError(`${location.source}: ${database.where}: ${(error as Error).message}`);
  }
  return database;
}

/** Runs `work` with the store open, and closes it whatever happens. */
export async function withStore<T>(db: string | undefined, options: OpenOptions, work: (database: Database) => Promise<T>): Promise<T> {
  const database = await openStore(db, options);
  try {
    return await work(database);
  } finally {
    await database.close();
  }
}
