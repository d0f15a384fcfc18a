// `coldbench run` with a bad scenario or a bad --out: exit 2, one line naming the file, nothing started.

import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GOOD_SCENARIO, runCli, tempDir, writeScenario } from './helpers.js';

describe('coldbench run with a bad scenario', () => {
  const cases: [string, string][] = [
    ['syntax', 'name: t\nworkloads: [hello\n'],
    ['unknown runtime', GOOD_SCENARIO.replace('wasm', 'lambda')],
    ['missing field', GOOD_SCENARIO.replace('runtimes: [docker, wasm, process]\n', '')],
    ['wrong type', GOOD_SCENARIO.replace('iterations: 3', 'iterations: "3"')],
    ['unknown workload', GOOD_SCENARIO.replace('[hello]', '[nope]')],
  ];
  it('refuses --runtimes naming a runtime the scenario does not list, and starts nothing', async () => {
    const dir = await tempDir();
    const file = await writeScenario(dir, 'ok.yaml', GOOD_SCENARIO);
    const out = join(dir, 'results');
    const result = await runCli(['run', file, '--out', out, '--runtimes', 'wasm-per-process']);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe('coldbench run: --runtimes: "wasm-per-process" is not a runtime here, this scenario has: docker, wasm, process');
    await expect(readdir(out)).rejects.toThrow(/ENOENT/);
  });

  for (const [label, text] of cases) {
    it(`exits 2 with one line naming the file and starts nothing (${label})`, async () => {
      const dir = await tempDir();
      const file = await writeScenario(dir, 'bad.yaml', text);
      const out = join(dir, 'results');
      const result = await runCli(['run', file, '--out', out]);
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      const lines = result.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(file);
      await expect(readdir(out)).rejects.toThrow(/ENOENT/); // no results folder: nothing ran
    });
  }

  // Node's recursive mkdir loops for ever under /proc: --out must fail at once, before anything starts.
  it.each([
    [['run', 'scenarios/quick.yaml', '--out', '/proc/coldbench-x'], 'coldbench run: --out: cannot write files in /proc/coldbench-x'],
    [['run', 'scenarios/quick.yaml', '--out', '/etc/hostname'], 'coldbench run: --out: cannot write files in /etc/hostname (ENOTDIR)'],
    [['run', 'scenarios/quick.yaml', '--report', '/proc/coldbench-x/r.html'], 'coldbench run: --report: cannot write files in /proc/coldbench-x'],
    [['report', 'test/data/results-v1.json', '--out', '/proc/coldbench-y/r.html'], 'coldbench report: --out: cannot write files in /proc/coldbench-y'],
  ])('refuses an --out it cannot write in, with one line (%j)', async (args, line) => {
    const result = await runCli(args);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr.trim().startsWith(line)).toBe(true);
  });
});
