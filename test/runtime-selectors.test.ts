// What users type to name a runtime (RUNTIME[:VARIANT][@ARM]) in assert, report --baseline and
// compare: a runtime named without its variant selects every variant, each judged; where one value
// is required, one line lists the variants to name. Tested on a real run of the fake runtimes.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseSelector, selectOne } from '../src/results/selector.js';
import type { RunResult } from '../src/results/types.js';
import { parseBudget } from '../src/stats/budgets.js';
import { runCli, tempDir, writeScenario } from './helpers.js';

describe('runtime selectors', () => {
  it('parse a runtime, an opaque variant (which may hold "/") and an arm', () => {
    expect(parseSelector('wasmtime')).toEqual({ runtime: 'wasmtime' });
    expect(parseSelector('docker:crun/pre-created@b')).toEqual({ runtime: 'docker', variant: 'crun/pre-created', arm: 'b' });
    expect(parseSelector('wasmtime (per-tenant)')).toBeUndefined(); // a display label is not a selector
    expect(parseBudget('hello/docker:crun/pre-created/total median <= 50ms').quantity).toEqual({
      workload: 'hello',
      runtime: 'docker',
      variant: 'crun/pre-created',
      what: 'total',
    });
  });

  it('select one runtime across architectures, or list the variants to name', () => {
    const samples = [
      { runtime: 'wasmtime', variant: 'per-tenant' },
      { runtime: 'wasmtime', variant: 'per-tenant', arch: 'arm64', emulated: true },
      { runtime: 'wasmtime', variant: 'shared' },
    ];
    expect(selectOne({ runtime: 'wasmtime', variant: 'per-tenant' }, samples)).toEqual({ runtime: 'wasmtime', variant: 'per-tenant' });
    expect(() => selectOne({ runtime: 'wasmtime' }, samples)).toThrow('"wasmtime" names 2 runtimes here; name one: wasmtime:per-tenant, wasmtime:shared');
    expect(() => selectOne({ runtime: 'docker' }, samples)).toThrow(
      'no runtime "docker" in these results; expected one of: wasmtime:per-tenant, wasmtime:shared',
    );
  });
});

describe('selectors on a real results file (fake runtimes: one with two variants, one of family wasm)', () => {
  let file: string;
  let run: RunResult;
  beforeAll(async () => {
    const dir = await tempDir();
    const scenario = await writeScenario(
      dir,
      'variants.yaml',
      `name: variants
workloads: [json]
runtimes: [fake, fake-wasm]
fake: { variants: [per-tenant, shared] }
measurements:
  coldstart: { iterations: 5, warmup: 0, probeFloorSamples: 3 }
`,
    );
    const out = join(dir, 'results');
    const result = await runCli(['run', scenario, '--out', out], undefined, { COLDBENCH_TEST_RUNTIMES: '1' });
    expect(result.code, result.stderr).toBe(0);
    file = join(out, (await readdir(out))[0]!);
    run = JSON.parse(await readFile(file, 'utf8')) as RunResult;
  }, 120_000);

  it('records each runtime with its family', () => {
    expect(run.runtimes.map(({ runtime, family }) => ({ runtime, family }))).toEqual([
      { runtime: 'fake', family: 'process' },
      { runtime: 'fake-wasm', family: 'wasm' },
    ]);
    expect(new Set(run.samples.filter((s) => s.runtime === 'fake').map((s) => s.variant))).toEqual(new Set(['per-tenant', 'shared']));
  });

  it('assert judges every variant of a runtime named without one, each row naming its variant', async () => {
    const all = await runCli(['assert', file, '--budget', 'json/fake/total median <= 5s']);
    expect(all.code, all.stderr).toBe(0);
    expect(all.stdout).toMatch(/^pass\s+json\/fake\/total median <= 5s\s+fake \(per-tenant\)\s/m);
    expect(all.stdout).toMatch(/^pass\s+json\/fake\/total median <= 5s\s+fake \(shared\)\s/m);
    const one = await runCli(['assert', file, '--budget', 'json/fake:shared/total median <= 5s']);
    expect(one.stdout.match(/^pass/gm)).toHaveLength(1);
    expect(one.stdout).toContain('fake (shared)');
    const missing = await runCli(['assert', file, '--budget', 'json/fake:nope/total median <= 5s']);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toContain('json/fake:nope/total is not in these results (json/total is measured on: fake-wasm, fake:per-tenant, fake:shared)');
  });

  it('assert fails with one line listing the variants where the reference of "Nx" names several', async () => {
    const result = await runCli(['assert', file, '--budget', 'json/fake-wasm/total median <= 100x json/fake/total']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toEqual([
      `coldbench assert: --budget: "json/fake-wasm/total median <= 100x json/fake/total": json/fake/total names 2 runtimes in run ${run.runId}; name one: fake:per-tenant, fake:shared`,
    ]);
    const named = await runCli(['assert', file, '--budget', 'json/fake-wasm/total median <= 100x json/fake:shared/total']);
    expect(named.code, named.stdout).toBe(0);
  });

  it('report --baseline needs one runtime: a runtime with variants lists them; a variant works', async () => {
    const dir = await tempDir();
    const ambiguous = await runCli(['report', file, '--out', join(dir, 'a.html'), '--baseline', 'fake']);
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stderr.trim()).toBe('coldbench report: --baseline: "fake" names 2 runtimes here; name one: fake:per-tenant, fake:shared');
    expect(await readdir(dir)).toEqual([]);
    const named = await runCli(['report', file, '--out', join(dir, 'b.html'), '--baseline', 'fake:shared']);
    expect(named.code, named.stderr).toBe(0);
    expect(await readFile(join(dir, 'b.html'), 'utf8')).toMatch(/(than|and) fake \(shared\)/);
  });

  it('compare --runtime keeps the rows of every variant it selects, and refuses a runtime not in the files', async () => {
    const both = await runCli(['compare', file, file, '--runtime', 'fake']);
    expect(both.code, both.stderr).toBe(0);
    const runtimes = new Set(
      both.stdout
        .split('\n')
        .slice(1)
        .filter((line) => line.startsWith('json'))
        .map((line) => line.split(/\s{2,}/)[1]),
    );
    expect(runtimes).toEqual(new Set(['fake (per-tenant)', 'fake (shared)']));
    const wrong = await runCli(['compare', file, file, '--runtime', 'docker']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr.trim()).toBe(`coldbench compare: --runtime: no runtime "docker" in ${file}; expected one of: fake-wasm, fake:per-tenant, fake:shared`);
  });
});
