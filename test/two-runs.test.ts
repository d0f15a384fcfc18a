// Two runs at once on one machine and one engine do not disturb each other: the second starts (and
// sweeps leftovers) while the first has tenants up; both finish complete, with every tenant
// answering (distinct ports), and leave nothing behind.

import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunResult } from '../src/results/types.js';
import { type CliResult, containersOfRun, processesOfRun, runCli, runtimeAvailable, tempDir, writeScenario } from './helpers.js';

const runtimes = ['process', 'wasm', ...((await runtimeAvailable('docker')) ? ['docker'] : [])];

const scenario = (name: string) => `name: ${name}
workloads: [hello-c]
runtimes: [${runtimes.join(', ')}]
measurements:
  coldstart: { iterations: 8, warmup: 0, probeFloorSamples: 5 }
  density: { steps: [1, 4], settleMs: 0 }
`;

async function onlyResult(dir: string): Promise<RunResult> {
  const files = await readdir(dir);
  expect(files).toHaveLength(1);
  return JSON.parse(await readFile(join(dir, files[0]!), 'utf8')) as RunResult;
}

describe('two runs at once', () => {
  it('both complete, with every runtime measured, and leave nothing behind', async () => {
    const dir = await tempDir();
    const [first, second] = [await writeScenario(dir, 'first.yaml', scenario('first')), await writeScenario(dir, 'second.yaml', scenario('second'))];
    let started: Promise<CliResult> | undefined;
    const firstRun = runCli(['run', first, '--out', join(dir, 'first')], (stdout) => {
      // Once the first run has tenants up, the second starts: its sweep must leave them alone.
      if (!started && /iteration 2\//.test(stdout)) started = runCli(['run', second, '--out', join(dir, 'second')]);
    });
    const a = await firstRun;
    expect(started).toBeDefined();
    const b = await started!;
    for (const [result, out] of [
      [a, 'first'],
      [b, 'second'],
    ] as const) {
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).not.toMatch(/removed \d+ container/);
      const run = await onlyResult(join(dir, out));
      expect(run.status).toBe('complete');
      expect(run.warnings.filter((w) => w.kind !== 'busy-machine')).toEqual([]);
      for (const runtime of runtimes) {
        expect(run.samples.filter((s) => s.runtime === runtime && s.measurement === 'coldstart' && s.phase === 'total')).toHaveLength(8);
        expect(run.densityRamps.find((r) => r.runtime === runtime)).toMatchObject({ reachedTenants: 4 });
      }
      expect(await containersOfRun(run.runId)).toBe(0);
      expect(await processesOfRun(run.runId)).toBe(0);
    }
  }, 600_000);
});
