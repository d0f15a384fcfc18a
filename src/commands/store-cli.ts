// The `store` and `history` commands' entries in the CLI's table (src/cli.ts): usage and options
// here, the work loaded only when they run. (Typed by src/cli.ts's table, which they go into:
// importing its Command type here would make an import cycle.)
type Values = Record<string, string | boolean | string[] | undefined>;

const DB_HELP = `  --db DB            the store: a folder (the embedded store, default results/store) or a
                     postgres://user:pass@host:port/db URL; COLDBENCH_DB is used when --db is not given`;

export const STORE_COMMAND = {
  summary: 'keep runs in a store (embedded, or PostgreSQL): add, list, export, prune',
  usage: `coldbench store add <results.json...> [--db DB]
coldbench store list [--db DB]
coldbench store export RUN_ID --out FILE [--db DB]
coldbench store prune [--keep-runs N] [--older-than AGE] [--db DB]

  add      puts runs into the store, each in one transaction; a run already there is left as it
           is (one stored while it was running is replaced by its finished file)
  list     the runs it holds, and its size
  export   writes one run back out as a results file (report, compare and assert read it)
  prune    removes runs: all but the newest N of each machine and scenario, and/or those that
           started more than AGE ago (90d, 12h, 2w); says the size before and after
${DB_HELP}
  The embedded store is PostgreSQL in this process (PGlite), in a folder: nothing to install or
  start; one coldbench process uses it at a time (others wait). See docs/history.md.`,
  options: { db: { type: 'string' }, 'keep-runs': { type: 'string' }, 'older-than': { type: 'string' }, out: { type: 'string' } } as const,
  run: async (args: string[], values: Values) =>
    (await import('./store.js')).storeCommand(args, {
      db: values.db as string | undefined,
      keepRuns: values['keep-runs'] as string | undefined,
      olderThan: values['older-than'] as string | undefined,
      out: values.out as string | undefined,
    }),
};

export const HISTORY_COMMAND = {
  summary: 'results over time from the store: an HTML page with change points, or the change points as text',
  usage: `coldbench history [--db DB] [--out FILE] [--changes] [--markdown] [--scenario NAME] [--workload NAME] [--runtime RUNTIME[:VARIANT]]

  --out FILE         the page to write (default: reports/history.html): per workload, runtime and
                     phase or metric, each run's median and its 95% interval over time, one panel
                     per machine and architecture, with commit and date on hover, change points marked
  --changes          list the change points (level shifts) in the terminal instead of writing the page
  --markdown         with --changes: a Markdown table (for a CI job summary)
  --scenario, --workload, --runtime   only these series
${DB_HELP}`,
  options: {
    db: { type: 'string' },
    out: { type: 'string' },
    changes: { type: 'boolean' },
    markdown: { type: 'boolean' },
    scenario: { type: 'string' },
    workload: { type: 'string' },
    runtime: { type: 'string' },
  } as const,
  run: async (args: string[], values: Values) => {
    if (args.length) throw new (await import('../errors.js')).UserError(`unexpected argument "${args[0]}"`);
    return (await import('./history.js')).historyCommand({
      db: values.db as string | undefined,
      out: values.out as string | undefined,
      changes: values.changes as boolean | undefined,
      markdown: values.markdown as boolean | undefined,
      scenario: values.scenario as string | undefined,
      workload: values.workload as string | undefined,
      runtime: values.runtime as string | undefined,
    });
  },
};

/** assert's --against-store options (src/store/gate.ts). */
export const AGAINST_STORE_OPTIONS = {
  'against-store': { type: 'boolean' },
  db: { type: 'string' },
  last: { type: 'string' },
  'fail-on-regression': { type: 'string' },
} as const;

export function againstStoreValues(values: Values) {
  return {
    againstStore: values['against-store'] as boolean | undefined,
    db: values.db as string | undefined,
    last: values.last as string | undefined,
    failOnRegression: values['fail-on-regression'] as string | undefined,
  };
}
