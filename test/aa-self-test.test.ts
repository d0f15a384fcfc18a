// `coldbench aa`: arms A and B of every runtime in one run, compared as `compare` would; an
// injected slowdown in arm B's process runtime is what its power is measured against.

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { armResult } from '../src/commands/aa.js';
import { syntheticResult } from './fixtures.js';
import { runCli, tempDir, writeScenario } from './helpers.js';

describe('coldbench aa', () => {
  it('interleaves arms A and B in one run, finds a large injected slowdown and counts the A/A comparisons', async () => {
    const dir = await tempDir();
    const scenario = await writeScenario(
      dir,
      'aa.yaml',
      `name: aa-test
workloads: [hello-c]
runtimes: [process, fake]
measurements:
  coldstart: { iterations: 8, warmup: 1, probeFloorSamples: 5 }
`,
    );
    const out = join(dir, 'aa.json');
    const result = await runCli(['aa', scenario, '--pairs', '2', '--inject-slowdown', '400%', '--out', out], undefined, { COLDBENCH_TEST_RUNTIMES: '1' });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/run aa-test-\S+: process \[arm a\], process \[arm b\], fake \[arm a\], fake \[arm b\]/);
    const summary = JSON.parse(await readFile(out, 'utf8'));
    expect(summary).toMatchObject({ design: 'interleaved', pairs: 2, injectedSlowdownPercent: 400, detected: 2, power: 1 });
    expect(summary.injectedDelayMs).toBeGreaterThan(0);
    // Interleaved arms are judged pair by pair, and as two groups for contrast, at each rung of the ladder (here only the run's own 8: with 6 pairs the signed-rank interval is [min, max] of the ratios, so one pair spoilt by a busy machine would hide even a 400% slowdown).
    expect(summary.method).toBe('paired');
    expect(summary.byIterations).toEqual([
      expect.objectContaining({
        iterations: 8,
        paired: expect.objectContaining({ detected: 2, power: 1 }),
        unpaired: expect.objectContaining({ judged: expect.any(Number) }),
      }),
    ]);
    expect(result.stdout).toMatch(/iterations\s+paired: false alarms\s+paired: power\s+unpaired: false alarms\s+unpaired: power/);
    // The fake runtime's phases are the A/A comparisons: judged, whatever their verdicts.
    expect(summary.comparisons).toBeGreaterThan(0);
  });

  it("store mode: judges each run of arm B against arm A's runs kept in a store, as assert --against-store does", async () => {
    const dir = await tempDir();
    const scenario = await writeScenario(
      dir,
      'aa.yaml',
      `name: aa-store-test
workloads: [hello-c]
runtimes: [process, fake]
measurements:
  coldstart: { iterations: 6, warmup: 1, probeFloorSamples: 5 }
`,
    );
    const out = join(dir, 'aa.json');
    const result = await runCli(['aa', scenario, '--design', 'store', '--pairs', '3', '--inject-slowdown', '400%', '--out', out], undefined, {
      COLDBENCH_TEST_RUNTIMES: '1',
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/run 3\/3 against 3 stored runs: \d+ false alarm\(s\).*; 400% slowdown detected/);
    const summary = JSON.parse(await readFile(out, 'utf8'));
    expect(summary).toMatchObject({ design: 'store', pairs: 3, injectedSlowdownPercent: 400, detected: 3, power: 1 });
    expect(summary.comparisons).toBeGreaterThan(0); // the fake runtime's phases, judged against its stored history
  }, 600_000);

  it('refuses an unknown design in one line', async () => {
    const result = await runCli(['aa', 'scenarios/quick.yaml', '--design', 'mixed']);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe('coldbench aa: --design: expected interleaved or separate or store, got "mixed"');
  });

  it('splits one arm out of a run, without the arm, so two arms compare like two runs', () => {
    const run = syntheticResult({ coldStartMs: { process: 10 } });
    run.samples = run.samples.flatMap((s) => [
      { ...s, arm: 'a' },
      { ...s, arm: 'b', value: s.value * 2 },
    ]);
    const a = armResult(run, 'a');
    expect(a.samples.length).toBe(run.samples.length / 2);
    expect(a.samples.every((s) => !('arm' in s))).toBe(true);
    expect(armResult(run, 'b').samples[0]!.value).toBe(2 * a.samples[0]!.value);
  });
});
