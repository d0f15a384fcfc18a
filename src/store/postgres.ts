// The shared store: a PostgreSQL server (a team's, CI's), through `pg`. One connection; the
// server serialises concurrent writers (runs are keyed by run id, migrations take an advisory lock).
import { UserError } from '../errors.js';
import type { Database } from './database.js';
import { withoutPassword } from './locate.js';

const CONNECT_TIMEOUT_MS = 10_000;

export async function openPostgres(url: string, source: string): Promise<Database> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS, application_name: 'coldbench' });
  // An error after connecting (the server went away) must not crash the process unhandled.
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => {});
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new UserError(`${source}: cannot connect to ${withoutPassword(url)} (${reason}); expected a running PostgreSQL this user can write to`);
  }
  await client.query('SET client_min_messages = warning');
  const query = async <Row>(sql: string, params?: unknown[]) => (await client.query(sql, params)).rows as Row[];
  return {
    kind: 'postgres',
    where: withoutPassword(url),
    query,
    async transaction(work) {
      await client.query('BEGIN');
      try {
        const value = await work({ query });
        await client.query('COMMIT');
        return value;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      }
    },
    async sizeBytes() {
      const [row] = await query<{ bytes: string }>(
        `SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0)::bigint::text AS bytes FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'coldbench' AND c.relkind = 'r'`,
      );
      return Number(row?.bytes ?? 0);
    },
    close: () => client.end(),
  };
}
