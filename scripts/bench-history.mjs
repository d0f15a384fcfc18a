// How long `coldbench history` takes over many runs, and how big its page is: RUNS synthetic runs
// on each of MACHINES machines (each run the fixture's three runtimes, one commit each, a day
// apart, run-to-run noise of cv 10 %, a 20 % step half-way on the first machine) put into the store DB, then the page rendered.
// Run after `npm run build`:  node scripts/bench-history.mjs --db DB [--runs 200] [--machines 3]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { summarize } from '../dist/stats/summarize.js';

const { values } = parseArgs({ options: { db: { type: 'string' }, runs: { type: 'string' }, machines: { type: 'string' } } });
if (!values.db) throw new Error('--db DB is required (a folder or a postgres:// URL)');
const runs = Number(values.runs ?? 200);
const machines = Number(values.machines ?? 3);
const dir = mkdtempSync(join(tmpdir(), 'coldbench-bench-history-'));
const cli = join(import.meta.dirname, '..', 'bin', 'coldbench.js');
const files = [];
for (let m = 0; m < machines; m++) {
  for (let i = 0; i < runs; i++) {
    // Run-to-run noise of cv 10 %: a uniform draw (±17.3 %) from a hash of the run, and a 20 % step.
    const uniform = (Math.sin(i * 12.9898 + m * 78.233) * 43758.5453) % 1;
    const level = (m === 0 && i >= runs / 2 ? 1.2 : 1) * (1 + 0.173 * (2 * Math.abs(uniform) - 1));
    const samples = [];
    for (const [runtime, centre] of [
      ['docker', 120],
      ['wasm', 5],
      ['process', 80],
    ]) {
      for (let k = 0; k < 10; k++) {
        for (const phase of ['total', 'start', 'first-response']) {
          samples.push({
            scenario: 'bench',
            measurement: 'coldstart',
            workload: 'hello',
            runtime,
            arch: m === 1 ? 'arm64' : 'amd64',
            emulated: false,
            tenants: 1,
            iteration: k,
            phase,
            metric: 'duration',
            unit: 'ms',
            value: centre * level * (1 + ((k * 7) % 11) / 100),
          });
        }
      }
    }
    const result = {
      schemaVersion: 3,
      runId: `bench-m${m}-${String(i).padStart(4, '0')}`,
      status: 'complete',
      startedAt: new Date(Date.UTC(2026, 0, 1) + i * 86_400_000 + m * 60_000).toISOString(),
      fingerprint: {
        hostname: `m${m}`,
        cpuModel: `CPU ${m}`,
        arch: m === 1 ? 'arm64' : 'x64',
        cores: 2,
        memoryBytes: 2 ** 34,
        kernel: '6',
        os: 'Linux',
        node: 'v20',
        jco: '1',
        componentizeJs: '1',
        preview2Shim: '1',
        gitSha: `${String(i).padStart(6, '0')}${'a'.repeat(34)}`,
      },
      scenario: { name: 'bench', workloads: ['hello'], runtimes: ['docker', 'wasm', 'process'], measurements: { coldstart: {} } },
      runtimes: [],
      artifacts: [],
      samples,
      summaries: summarize(samples),
      densityRamps: [],
      warnings: [],
    };
    const file = join(dir, `${result.runId}.json`);
    writeFileSync(file, JSON.stringify(result));
    files.push(file);
  }
}
let started = performance.now();
execFileSync(process.execPath, [cli, 'store', 'add', ...files, '--db', values.db], { stdio: ['ignore', 'ignore', 'inherit'] });
console.log(`store add of ${files.length} runs: ${((performance.now() - started) / 1000).toFixed(1)} s`);
const out = join(dir, 'history.html');
started = performance.now();
execFileSync(process.execPath, [cli, 'history', '--out', out, '--db', values.db], { stdio: 'inherit' });
console.log(`history: ${((performance.now() - started) / 1000).toFixed(1)} s, page ${(statSync(out).size / 2 ** 20).toFixed(2)} MiB: ${out}`);
