// The store's schema, as numbered migrations applied in order, each once, in one transaction under
// an advisory lock (two first `store add`s at once on a server apply them once). Everything lives
// in the schema "coldbench", so a team's database can hold it beside other things.
import type { Database } from './database.js';

/** The columns that name a quantity, as in SAMPLE_KEY_FIELDS (src/results/types.ts). */
const KEY_COLUMNS = `measurement text NOT NULL, workload text NOT NULL, runtime text, variant text, arm text, arch text, emulated boolean,
  tenants integer NOT NULL, phase text, method text, model text, metric text NOT NULL, unit text NOT NULL`;

export const MIGRATIONS: { version: number; sql: string }[] = [
  {
    version: 1,
    sql: `
CREATE TABLE coldbench.runs (
  run_id text PRIMARY KEY,
  machine text NOT NULL,
  arch text NOT NULL,
  scenario text NOT NULL,
  status text NOT NULL,
  started_at timestamptz NOT NULL,
  git_sha text NOT NULL,
  git_dirty boolean,
  added_at timestamptz NOT NULL DEFAULT now(),
  head json NOT NULL
);
CREATE INDEX runs_by_machine ON coldbench.runs (machine, scenario, started_at);
CREATE TABLE coldbench.samples (
  run_id text NOT NULL REFERENCES coldbench.runs ON DELETE CASCADE,
  ord integer NOT NULL,
  scenario text NOT NULL, ${KEY_COLUMNS},
  iteration integer NOT NULL,
  value double precision NOT NULL,
  category text,
  PRIMARY KEY (run_id, ord)
);
CREATE TABLE coldbench.summaries (
  run_id text NOT NULL REFERENCES coldbench.runs ON DELETE CASCADE,
  ord integer NOT NULL, ${KEY_COLUMNS},
  n integer NOT NULL, mean double precision NOT NULL, median double precision NOT NULL, p95 double precision NOT NULL,
  min double precision NOT NULL, max double precision NOT NULL, ci_low double precision, ci_high double precision,
  ci_level double precision NOT NULL, cv double precision,
  PRIMARY KEY (run_id, ord)
);
CREATE TABLE coldbench.records (
  run_id text NOT NULL REFERENCES coldbench.runs ON DELETE CASCADE,
  list text NOT NULL,
  ord integer NOT NULL,
  doc json NOT NULL,
  PRIMARY KEY (run_id, list, ord)
);`,
  },
];

export const SCHEMA_VERSION = MIGRATIONS.at(-1)!.version;

/** An arbitrary constant: the advisory lock that serialises migrations. */
const MIGRATION_LOCK = 7_301_993;

export async function migrate(db: Database): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await tx.query('CREATE SCHEMA IF NOT EXISTS coldbench');
    await tx.query('CREATE TABLE IF NOT EXISTS coldbench.migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())');
    const [row] = await tx.query<{ version: number | null }>('SELECT max(version) AS version FROM coldbench.migrations');
    const current = row?.version ?? 0;
    if (current > SCHEMA_VERSION) throw new Error(`the store is at schema ${current}, newer than this coldbench knows (${SCHEMA_VERSION}): update coldbench`);
    for (const migration of MIGRATIONS.filter((m) => m.version > current)) {
      for (const statement of migration.sql.split(/;\s*\n/).filter((s) => s.trim())) await tx.query(statement);
      await tx.query('INSERT INTO coldbench.migrations (version) VALUES ($1)', [migration.version]);
    }
  });
}
