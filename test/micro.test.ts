// The micro measurement: tinybench timings of the V8 host's own code for a real component, in a
// process of their own, saved as samples per repetition.

import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunResult } from '../src/results/types.js';
import { processesOfRun, runCli, tempDir, writeScenario } from './helpers.js';

describe('micro', () => {
  it("times adding a tenant and a request inside the V8 host's code, per repetition", async () => {
    const dir = await tempDir();
    const scenario = await writeScenario(
      dir,
      'micro.yaml',
      `name: micro-test
workloads: [hello-c]
runtimes: [wasm]
measurements:
  micro: { timeMs: 100, repetitions: 2 }
`,
    );
    const result = await runCli(['run', scenario, '--out', join(dir, 'results')]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const [file] = await readdir(join(dir, 'results'));
    const run = JSON.parse(await readFile(join(dir, 'results', file!), 'utf8')) as RunResult;
    const micro = run.samples.filter((s) => s.measurement === 'micro');
    expect(new Set(micro.map((s) => `${s.phase} ${s.metric}`))).toEqual(
      new Set(['add-tenant duration-p50', 'add-tenant duration-p99', 'request duration-p50', 'request duration-p99']),
    );
    expect(micro.filter((s) => s.phase === 'request' && s.metric === 'duration-p50').map((s) => s.iteration)).toEqual([0, 1]);
    for (const s of micro) expect(s.value).toBeGreaterThan(0);
    for (const iteration of [0, 1]) {
      const value = (phase: string, metric: string) => micro.find((s) => s.iteration === iteration && s.phase === phase && s.metric === metric)!.value;
      expect(value('request', 'duration-p99')).toBeGreaterThanOrEqual(value('request', 'duration-p50'));
    }
    expect(result.stdout).toMatch(/hello-c\s+wasm\s+add-tenant\s+duration-p50\s+2\s/);
    expect(await processesOfRun(run.runId)).toBe(0);
  });
});
