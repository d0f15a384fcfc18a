// The stores the store's tests run against: the embedded one in a fresh folder, and a real
// PostgreSQL (Debian's, started by scripts/setup-postgres.sh on 127.0.0.1) with a fresh database per
// test file. Where CI requires every runtime (COLDBENCH_REQUIRE_RUNTIMES=all) a PostgreSQL that
// cannot be started fails the tests instead of skipping them. Also: series of synthetic runs.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import type { RunResult } from '../src/results/types.js';
import { summarize } from '../src/stats/summarize.js';
import { REQUIRE_ENV } from './availability.js';
import { syntheticResult } from './fixtures.js';
import { ROOT, tempDir } from './helpers.js';

export interface TestStore {
  name: 'embedded' | 'postgres';
  /** What --db is given. */
  db: string;
  dispose(): Promise<void>;
}

export async function embeddedStore(): Promise<TestStore> {
  return { name: 'embedded', db: join(await tempDir('coldbench-store-'), 'store'), dispose: async () => {} };
}

/** A fresh database on the test PostgreSQL, or the reason there is none (thrown where CI requires it). */
export async function postgresStore(): Promise<TestStore | string> {
  let base: string;
  try {
    const { stdout } = await promisify(execFile)('bash', [join(ROOT, 'scripts', 'setup-postgres.sh')], { timeout: 180_000 });
    base = stdout.trim().split('\n').at(-1)!;
  } catch (error) {
    const reason = `PostgreSQL could not be started (${(error as { stderr?: string }).stderr?.trim() || (error as Error).message}); fix: bash scripts/setup-postgres.sh`;
    if ((process.env[REQUIRE_ENV] ?? '').split(',').includes('all')) throw new Error(`PostgreSQL is required here (${REQUIRE_ENV}): ${reason}`);
    return reason;
  }
  const name = `coldbench_test_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    name: 'postgres',
    db: url.toString(),
    async dispose() {
      const client = new pg.Client({ connectionString: base });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

export interface HistoryOptions {
  machine?: string;
  arch?: string;
  runs: number;
  /** Per run index, the docker cold start centre (ms). */
  level: (index: number) => number;
  scenarioName?: string;
  /** The first run's start; each next run a day later. */
  start?: string;
}

/** `runs` synthetic runs of one machine, a day apart, each with its own run id and commit. */
export function historyRuns(options: HistoryOptions): RunResult[] {
  const start = Date.parse(options.start ?? '2026-06-01T00:00:00Z');
  const machine = options.machine ?? 'bench-1';
  return Array.from({ length: options.runs }, (_, index) => {
    const result = syntheticResult({
      hostname: machine,
      arch: options.arch,
      scenarioName: options.scenarioName,
      coldStartMs: { docker: options.level(index), wasm: 5, process: 80 },
    });
    result.scenario.name = options.scenarioName ?? 'synthetic';
    result.fingerprint.cpuModel = `Test CPU of ${machine}`;
    result.runId = `${machine}-${String(index).padStart(4, '0')}`;
    result.startedAt = new Date(start + index * 86_400_000).toISOString();
    result.fingerprint.gitSha = `${String(index).padStart(4, '0')}${'c'.repeat(36)}`;
    result.summaries = summarize(result.samples);
    return result;
  });
}
