// The unit tier stays fast and self-contained: no test in test/unit/ may start what needs the set-up
// (a Docker engine, a built runtime, the compiled CLI in dist/, a workload build).
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../basics.js';

// What needs the set-up: the compiled CLI, real runtimes and their drivers, builds, the engine.
const NEEDS_SETUP = [
  "'../helpers.js'",
  'runCli',
  'runtimeAvailable',
  'availableRuntimeNames',
  'driversFor',
  'artifactsFor',
  'buildWorkload',
  'dockerClient',
  'testHosts',
  "'dist'",
  'dist/',
];

describe('the unit tier', () => {
  it('uses nothing that needs the set-up', async () => {
    const dir = join(ROOT, 'test', 'unit');
    const files = (await readdir(dir)).filter((f) => f.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(10);
    const uses: string[] = [];
    for (const file of files) {
      if (file === 'tiers.test.ts') continue;
      const text = await readFile(join(dir, file), 'utf8');
      for (const name of NEEDS_SETUP) if (text.includes(name)) uses.push(`${file}: ${name}`);
    }
    expect(uses).toEqual([]);
  });
});
