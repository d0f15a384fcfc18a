// The store's one interface to a database: SQL with numbered parameters, a transaction, and the
// store's size. Both stores are PostgreSQL (embedded: PGlite, PostgreSQL compiled to Wasm, in a
// folder; shared: a server through `pg`), so one dialect, one schema and one code path serve both.

export interface Queryable {
  query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<Row[]>;
  /** Many rows into a table at once by COPY, where the database offers it faster than INSERT (the embedded store). */
  copyRows?(table: string, columns: readonly string[], rows: readonly (readonly unknown[])[]): Promise<void>;
}

export interface Database extends Queryable {
  kind: 'embedded' | 'postgres';
  /** Where it is, for messages: a folder, or the URL without its password. */
  where: string;
  /** Runs `work` in one transaction: all of it is committed, or none. */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Bytes the store takes: the folder on disk (embedded), or the database's size (PostgreSQL). */
  sizeBytes(): Promise<number>;
  close(): Promise<void>;
}
