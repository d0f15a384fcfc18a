// Retention: keep the newest N runs of each machine and scenario, and/or drop runs older than a
// date. A run goes whole (its samples, summaries and records follow by ON DELETE CASCADE).
import type { Database } from './database.js';

export interface PruneRule {
  keepRuns?: number;
  /** Runs that started before this are removed. */
  olderThan?: Date;
}

export async function pruneRuns(db: Database, rule: PruneRule): Promise<string[]> {
  const removed = await db.transaction(async (tx) => {
    const ids: string[] = [];
    if (rule.keepRuns !== undefined) {
      const rows = await tx.query<{ run_id: string }>(
        `DELETE FROM coldbench.runs WHERE run_id IN (
           SELECT run_id FROM (SELECT run_id, row_number() OVER (PARTITION BY machine, scenario ORDER BY started_at DESC, run_id DESC) AS newest
                               FROM coldbench.runs) ranked WHERE newest > $1)
         RETURNING run_id`,
        [rule.keepRuns],
      );
      ids.push(...rows.map((r) => r.run_id));
    }
    if (rule.olderThan !== undefined) {
      const rows = await tx.query<{ run_id: string }>('DELETE FROM coldbench.runs WHERE started_at < $1 RETURNING run_id', [rule.olderThan.toISOString()]);
      ids.push(...rows.map((r) => r.run_id));
    }
    return ids;
  });
  // Space freed by deleted rows is reused by later runs (a plain VACUUM; it never blocks readers).
  if (removed.length) await db.query('VACUUM');
  return removed.sort();
}

/** "90d", "12h", "2w" -> milliseconds; undefined when it is none of these. */
export function parseAge(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)(h|d|w)$/.exec(text.trim());
  if (!match) return undefined;
  const hours = { h: 1, d: 24, w: 24 * 7 }[match[2] as 'h' | 'd' | 'w'];
  return Number(match[1]) * hours * 3_600_000;
}
