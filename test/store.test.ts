// The results store, on both of its databases (the embedded one in a folder, and a real
// PostgreSQL): runs go in whole and come back equal to their files (the same report), adding is
// idempotent and safe from two processes at once, kill -9 during `store add` leaves it consistent,
// history finds a step and names its commits, assert --against-store gates on the machine's
// earlier runs, prune removes runs, and a wrong or down database is one line and exit 2.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { renderReport } from '../src/report/page.js';
import { readResults } from '../src/results/read.js';
import type { RunResult } from '../src/results/types.js';
import { summarize } from '../src/stats/summarize.js';
import { openStore } from '../src/store/open.js';
import { syntheticResult, writeResult } from './fixtures.js';
import { CLI, ROOT, runCli, tempDir } from './helpers.js';
import { embeddedStore, historyRuns, postgresStore, type TestStore } from './store-fixtures.js';

// Opening the embedded store (PostgreSQL in Wasm) takes seconds per command on a loaded machine.
vi.setConfig({ testTimeout: 400_000 });

const postgres = await postgresStore();
const kinds: { name: string; make: () => Promise<TestStore>; skip?: string }[] = [
  { name: 'embedded', make: embeddedStore },
  typeof postgres === 'string' ? { name: 'postgres', make: embeddedStore, skip: postgres } : { name: 'postgres', make: async () => postgres },
];

/** A run with every kind of record: categories, an emulated platform, ramps, histograms, noise, warnings, artifacts. */
function richRun(): RunResult {
  const run = syntheticResult();
  run.runId = 'rich-run';
  run.samples.push({
    scenario: run.scenario.name,
    measurement: 'coldstart',
    workload: 'hello',
    runtime: 'docker',
    variant: 'crun/pre-created',
    arch: 'arm64',
    emulated: true,
    tenants: 1,
    iteration: 0,
    phase: 'total',
    metric: 'duration',
    unit: 'ms',
    value: 0.1 + 0.2,
  });
  run.summaries = summarize(run.samples);
  run.latencyHistograms = [
    { workload: 'hello', runtime: 'docker', tenants: 1, model: 'closed', iteration: 0, encoded: 'HISTFAAAABx4nJNpmSzMwMDAyAABzFCaEUoDAA9+AOs=' },
  ];
  run.noise = [
    {
      workload: 'hello',
      measurement: 'coldstart',
      seconds: 3.5,
      cores: 2,
      loadAverage: { start: 1.5, end: 2 },
      stealPercent: 0,
      busiestOthers: [{ command: 'x', cores: 0.3 }],
      busy: false,
      reasons: [],
    },
  ];
  run.warnings = [{ kind: 'note', message: 'a <note> "quoted"', runtime: 'docker', variant: 'crun/pre-created' }];
  return run;
}

const rows = async (db: string, sql: string, params: unknown[] = []) => {
  const store = await openStore(db);
  try {
    return await store.query<Record<string, unknown>>(sql, params);
  } finally {
    await store.close();
  }
};

describe.each(kinds)('the $name store', ({ make, skip }) => {
  let store: TestStore;
  let dir: string;
  beforeAll(async () => {
    store = await make();
    dir = await tempDir();
  });
  afterAll(async () => {
    await store?.dispose();
  });

  it.skipIf(skip)(`${skip ? `${skip}: ` : ''}adds a run whole and once, and gives it back equal to its file (the same report)`, async () => {
    const file = await writeResult(dir, 'rich.json', richRun());
    const first = await runCli(['store', 'add', file, '--db', store.db]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/run rich-run added \(\d+ samples/);
    expect(first.stdout).toMatch(/store: .*1 run, /);
    const again = await runCli(['store', 'add', file, '--db', store.db]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('run rich-run already stored');
    const back = join(dir, 'back.json');
    const exported = await runCli(['store', 'export', 'rich-run', '--out', back, '--db', store.db]);
    expect(exported.code, exported.stderr).toBe(0);
    const original = await readResults(file);
    const returned = await readResults(back);
    // As JSON (what a results file is), the run read back is the run put in.
    expect(JSON.parse(JSON.stringify(returned))).toEqual(JSON.parse(JSON.stringify(original)));
    expect(JSON.parse(await readFile(back, 'utf8')).samples).toEqual(JSON.parse(await readFile(file, 'utf8')).samples);
    expect(await renderReport([returned])).toBe(await renderReport([original]));
    const [count] = await rows(
      store.db,
      "SELECT (SELECT count(*)::int FROM coldbench.runs) AS runs, (SELECT count(*)::int FROM coldbench.samples WHERE run_id = 'rich-run') AS samples",
    );
    expect(count).toEqual({ runs: 1, samples: original.samples.length });
  });

  it.skipIf(skip)('history finds a 30 % step on one machine, names its commits, and draws the page; --changes as Markdown', async () => {
    const wobble = (i: number) => 1 + (((i * 7919) % 7) - 3) / 100; // ±3 %, deterministic
    const runs = [
      ...historyRuns({ runs: 24, level: (i) => (i < 12 ? 100 : 130) * wobble(i) }),
      ...historyRuns({ machine: 'arm-box', arch: 'arm64', runs: 12, level: (i) => 150 * wobble(i) }),
    ];
    const files = await Promise.all(runs.map((r) => writeResult(dir, `${r.runId}.json`, r)));
    const added = await runCli(['store', 'add', ...files, '--db', store.db]);
    expect(added.code, added.stderr).toBe(0);
    const changes = await runCli(['history', '--changes', '--markdown', '--db', store.db]);
    expect(changes.code, changes.stderr).toBe(0);
    const docker = changes.stdout.split('\n').filter((line) => line.includes('| docker |') && line.includes('coldstart total'));
    expect(docker).toHaveLength(1);
    expect(docker[0]).toContain('regression');
    expect(docker[0]).toContain('0011cccccc..0012cccccc');
    expect(docker[0]).toContain('Test CPU of bench-1');
    expect(changes.stdout).not.toContain('arm-box');
    const filtered = await runCli(['history', '--changes', '--runtime', 'wasm', '--db', store.db]);
    expect(filtered.stdout).toContain('No change points');
    const out = join(dir, 'history.html');
    const page = await runCli(['history', '--out', out, '--db', store.db]);
    expect(page.code, page.stderr).toBe(0);
    expect(page.stdout).toMatch(/37 runs, \d+ series, [1-9]\d* change points/);
    const html = await readFile(out, 'utf8');
    expect(html).toContain('Test CPU of arm-box · arm64');
    expect(html).toContain('0011cccccc..0012cccccc');
  });

  it.skipIf(skip)("assert --against-store fails a run 40 % slower than the machine's last runs, and passes one at their level", async () => {
    const earlier = historyRuns({ machine: 'gate-box', runs: 8, level: (i) => 100 * (1 + ((i % 3) - 1) / 50) });
    await runCli(['store', 'add', ...(await Promise.all(earlier.map((r) => writeResult(dir, `${r.runId}.json`, r)))), '--db', store.db]);
    const [slow, same] = historyRuns({ machine: 'gate-box', runs: 10, level: (i) => (i === 8 ? 140 : 101) }).slice(8);
    const slowFile = await writeResult(dir, 'slow.json', slow!);
    const failed = await runCli(['assert', slowFile, '--against-store', '--db', store.db, '--last', '6']);
    expect(failed.code, failed.stdout + failed.stderr).toBe(1);
    expect(failed.stdout).toMatch(
      /FAIL\s+hello\/coldstart total vs the last 6 runs of this machine\s+docker\s+gate-box-0008\s+median 1\d\d ms vs (99|100)[.\d]* \(median of 6 runs/,
    );
    expect(failed.stdout).not.toMatch(/FAIL.*\s(wasm|process)\s/);
    const passed = await runCli(['assert', await writeResult(dir, 'same.json', same!), '--against-store', '--db', store.db]);
    expect(passed.code, passed.stdout + passed.stderr).toBe(0);
    expect(passed.stdout).toMatch(/pass\s+hello\/coldstart total vs the last 10 runs/);
    const nobody = await runCli([
      'assert',
      await writeResult(dir, 'new-box.json', historyRuns({ machine: 'new-box', runs: 1, level: () => 500 })[0]!),
      '--against-store',
      '--db',
      store.db,
    ]);
    expect(nobody.code).toBe(0);
    expect(nobody.stdout).toContain('no history');
  });

  it.skipIf(skip)('two store adds at once both succeed, and each run is stored once', async () => {
    const runs = historyRuns({ machine: 'busy-box', runs: 3, level: () => 90 });
    const files = await Promise.all(runs.map((r) => writeResult(dir, `${r.runId}.json`, r)));
    const [a, b] = await Promise.all([
      runCli(['store', 'add', files[0]!, files[2]!, '--db', store.db]),
      runCli(['store', 'add', files[1]!, files[2]!, '--db', store.db]),
    ]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    expect(`${a.stdout}${b.stdout}`.match(/busy-box-0002 (added|already stored)/g)?.sort()).toEqual(['busy-box-0002 added', 'busy-box-0002 already stored']);
    const counted = await rows(
      store.db,
      "SELECT run_id, (SELECT count(*)::int FROM coldbench.samples s WHERE s.run_id = r.run_id) AS samples FROM coldbench.runs r WHERE machine LIKE '%busy-box%' ORDER BY run_id",
    );
    expect(counted).toEqual(runs.map((r) => ({ run_id: r.runId, samples: r.samples.length })));
  });

  it.skipIf(skip)(
    'kill -9 during store add leaves the store consistent, and the next add stores the run whole',
    async () => {
      const big = syntheticResult();
      big.runId = 'big-run';
      const template = big.samples[0]!;
      big.samples = Array.from({ length: 100_000 }, (_, i) => ({
        ...template,
        measurement: 'density',
        phase: undefined,
        method: 'pss',
        metric: 'memory-per-tenant',
        unit: 'MiB',
        tenants: 1 + (i % 500),
        iteration: i,
        value: 5 + (i % 97) / 10,
      }));
      big.samples = JSON.parse(JSON.stringify(big.samples));
      big.summaries = summarize(big.samples);
      const file = join(dir, 'big.json');
      await writeFile(file, JSON.stringify(big));
      const child = spawn(process.execPath, [CLI, 'store', 'add', file, '--db', store.db], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
      const killed = new Promise<string>((resolve) => {
        let said = '';
        child.stderr.on('data', (chunk: Buffer) => {
          said += chunk.toString();
          if (said.includes('adding run big-run')) setTimeout(() => child.kill('SIGKILL'), 300);
        });
        child.on('close', (_code, signal) => resolve(String(signal)));
      });
      expect(await killed).toBe('SIGKILL');
      const [after] = await rows(
        store.db,
        "SELECT (SELECT count(*)::int FROM coldbench.runs WHERE run_id = 'big-run') AS runs, (SELECT count(*)::int FROM coldbench.samples WHERE run_id = 'big-run') AS samples",
      );
      expect([
        { runs: 0, samples: 0 },
        { runs: 1, samples: 100_000 },
      ]).toContainEqual(after);
      const again = await runCli(['store', 'add', file, '--db', store.db]);
      expect(again.code, again.stderr).toBe(0);
      const [whole] = await rows(store.db, "SELECT count(*)::int AS samples FROM coldbench.samples WHERE run_id = 'big-run'");
      expect(whole).toEqual({ samples: 100_000 });
    },
    400_000,
  );

  it.skipIf(skip)('prune keeps the newest N runs of each machine and scenario, drops old ones, and says the size', async () => {
    const kept = await runCli(['store', 'prune', '--keep-runs', '5', '--db', store.db]);
    expect(kept.code, kept.stderr).toBe(0);
    expect(kept.stdout).toMatch(/removed \d+ runs: .*bench-1-0000/);
    expect(kept.stdout).toMatch(/store: .* runs, [\d.]+ [KMG]iB \(was [\d.]+ [KMG]iB\)/);
    const perMachine = await rows(store.db, 'SELECT machine, scenario, count(*)::int AS n FROM coldbench.runs GROUP BY machine, scenario');
    expect(Math.max(...perMachine.map((r) => r.n as number))).toBe(5);
    const old = await runCli(['store', 'prune', '--older-than', '1d', '--db', store.db]);
    expect(old.code, old.stderr).toBe(0);
    const [left] = await rows(store.db, 'SELECT count(*)::int AS n FROM coldbench.runs');
    expect(left).toEqual({ n: 0 }); // every synthetic run started in 2026-06
    const orphans = await rows(
      store.db,
      'SELECT (SELECT count(*)::int FROM coldbench.samples) + (SELECT count(*)::int FROM coldbench.summaries) + (SELECT count(*)::int FROM coldbench.records) AS n',
    );
    expect(orphans).toEqual([{ n: 0 }]);
  });
});

describe('a store that cannot be used', () => {
  it('a down PostgreSQL, a file, a folder that is not a store: one line, exit 2, nothing written', async () => {
    const dir = await tempDir();
    const file = await writeResult(dir, 'run.json', syntheticResult());
    const down = await runCli(['store', 'add', file, '--db', 'postgres://someone:secret@127.0.0.1:1/nothing']);
    expect(down.code).toBe(2);
    expect(down.stderr.trim().split('\n')).toEqual([
      'coldbench store: --db: cannot connect to postgres://someone:***@127.0.0.1:1/nothing (ECONNREFUSED); expected a running PostgreSQL this user can write to',
    ]);
    const notFolder = await runCli(['store', 'add', file, '--db', file]);
    expect(notFolder.code).toBe(2);
    expect(notFolder.stderr).toContain(`${file} is not a folder; expected a coldbench store folder`);
    const other = join(dir, 'other');
    await writeResult(dir, 'other-marker.json', {});
    const notStore = await runCli(['store', 'list', '--db', dir]);
    expect(notStore.code).toBe(2);
    expect(notStore.stderr).toContain('is a folder that is not a coldbench store');
    const missing = await runCli(['history', '--db', other, '--out', join(dir, 'h.html')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`no store at ${other}; put runs into it first`);
    expect(existsSync(other)).toBe(false);
    const badFile = await runCli(['store', 'add', file, join(dir, 'nope.json'), '--db', other]);
    expect(badFile.code).toBe(2);
    expect(existsSync(other)).toBe(false);
    const env = await runCli(['store', 'list'], undefined, { COLDBENCH_DB: 'postgresql://127.0.0.1:1/x' });
    expect(env.stderr).toContain('coldbench store: COLDBENCH_DB: cannot connect');
    expect((await runCli(['store', 'prune', '--keep-runs', '0', '--db', other])).stderr).toContain(
      '--keep-runs: expected a whole number of runs, at least 1, got "0"',
    );
    expect((await runCli(['store', 'frobnicate'])).stderr).toContain('expected a subcommand, one of: add, list, export, prune (got "frobnicate")');
  });
});
