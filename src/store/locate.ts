// Which store a command uses: --db, else COLDBENCH_DB, else the embedded store in results/store.
// A postgres:// or postgresql:// URL names a server; anything else is the embedded store's folder.

export const DEFAULT_STORE_DIR = 'results/store';

export type StoreLocation = { kind: 'embedded'; dir: string; source: string } | { kind: 'postgres'; url: string; source: string };

export function locateStore(db: string | undefined, env: NodeJS.ProcessEnv = process.env): StoreLocation {
  const [value, source] = db ? [db, '--db'] : env.COLDBENCH_DB ? [env.COLDBENCH_DB, 'COLDBENCH_DB'] : [DEFAULT_STORE_DIR, 'the default store'];
  return /^postgres(ql)?:\/\//i.test(value) ? { kind: 'postgres', url: value, source } : { kind: 'embedded', dir: value, source };
}

/** A URL fit for messages: its password replaced. */
export function withoutPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url.replace(/:[^:@/]*@/, ':***@');
  }
}
