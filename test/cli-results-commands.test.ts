// The commands that read results files, run as a user runs them (the compiled CLI): compare,
// assert and report, their exit codes, and one line naming the file that is not a results file.

import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { syntheticResult, writeResult } from './fixtures.js';
import { ROOT, runCli, tempDir } from './helpers.js';

// syntheticResult: cold start totals centred on docker 120 ms, wasm 5 ms, process 80 ms (±10%).
const result = syntheticResult();
const V1 = join(ROOT, 'test', 'data', 'results-v1.json');

describe('coldbench compare', () => {
  it('prints verdicts, as Markdown on request, and fails on a regression beyond the threshold', async () => {
    const dir = await tempDir();
    const a = await writeResult(dir, 'a.json', syntheticResult());
    const b = await writeResult(dir, 'b.json', {
      ...syntheticResult({ hostname: 'arm', arch: 'arm64', coldStartMs: { docker: 180, wasm: 5, process: 40 } }),
      runId: 'another-run', // two runs: judged as two groups, never pair by pair
    });

    const terminal = await runCli(['compare', a, b]);
    expect(terminal.code).toBe(0);
    expect(terminal.stdout).toMatch(/hello\s+docker\s+coldstart\s+1\s+total\s+duration\s+\d+ ms\s+\d+ ms\s+1\.5× \([\d.]+–[\d.]+×\)\s+slower/);
    expect(terminal.stdout).toMatch(/hello\s+process\s+coldstart\s+1\s+total.*faster/);
    expect(terminal.stdout).toMatch(
      /hello\s+wasm\s+coldstart\s+1\s+total.*unsure: a change under \d+(\.\d)?% could not be seen with 20 values a side here\s+≥\S+% at n=20/,
    );

    const markdown = await runCli(['compare', a, b, '--markdown']);
    const lines = markdown.stdout.trim().split('\n');
    expect(lines[0]).toBe(
      '| workload | runtime | measurement | tenants | what | metric | median a | median b | b/a (95% CI) | verdict | detectable (80% power) |',
    );
    expect(lines[1]).toMatch(/^\| --- (\| --- )+\|$/);
    expect(lines.slice(2).every((l) => /^\| .* \|$/.test(l))).toBe(true);

    expect((await runCli(['compare', a, b, '--fail-on-regression', '60'])).code).toBe(0);
    const failed = await runCli(['compare', a, b, '--fail-on-regression', '10']);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('hello/docker/total/duration');
  });

  it('names the file that is not a results file', async () => {
    const dir = await tempDir();
    const a = await writeResult(dir, 'a.json', syntheticResult());
    const bad = await writeResult(dir, 'bad.json', { ...syntheticResult(), schemaVersion: 99 });
    const result = await runCli(['compare', a, bad]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe(`coldbench compare: ${bad}: schemaVersion: expected 1 to 3, got 99`);
  });
});

describe('coldbench assert', () => {
  it('exits 1 when an error-level budget fails, 0 when only warnings fail, and prints Markdown on request', async () => {
    const dir = await tempDir();
    const file = await writeResult(dir, 'r.json', result);
    const pass = await runCli(['assert', file, '--budget', 'hello/wasm/total median <= 100ms', '--budget', 'warn hello/docker/total median <= 100ms']);
    expect(pass.code).toBe(0);
    expect(pass.stdout).toMatch(/^pass\s+hello\/wasm\/total median <= 100ms/m);
    expect(pass.stdout).toMatch(/^WARN\s+warn hello\/docker\/total median <= 100ms/m);
    const budgets = join(dir, 'budgets.txt');
    await writeFile(budgets, '# cold start\nhello/docker/total median <= 100ms\n');
    const fail = await runCli(['assert', file, '--budgets', budgets, '--markdown']);
    expect(fail.code).toBe(1);
    expect(fail.stdout.split('\n')[0]).toBe('| result | budget | runtime | run | measured |');
    expect(fail.stdout).toContain('| FAIL | hello/docker/total median &lt;= 100ms | docker |');
    const bad = await runCli(['assert', file, '--budget', 'hello/wasm/total median <= fast']);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toMatch(/^coldbench assert: --budget: "hello\/wasm\/total median <= fast": limit "fast": expected a number with a unit/);
  });
});

describe('schema 1 results with the CLI', () => {
  it('render with `coldbench report` and compare with `coldbench compare`', async () => {
    const dir = await tempDir();
    const out = join(dir, 'v1.html');
    const report = await runCli(['report', V1, '--out', out]);
    expect(report.stderr).toBe('');
    expect(report.code).toBe(0);
    const compared = await runCli(['compare', V1, V1]);
    expect(compared.stderr).toBe('');
    expect(compared.code).toBe(0);
    expect(compared.stdout).toMatch(/hello-c\s+docker\s+coldstart\s+1\s+total\s+duration.*too few samples/); // 5 values: no 95% interval, no verdict
    expect(compared.stdout).toMatch(/hello-c\s+process\s+density\s+3\s+pss\s+memory-per-tenant/);
  });

  it('name the file and the field when a file is malformed', async () => {
    const dir = await tempDir();
    const broken = await writeResult(dir, 'broken.json', {
      schemaVersion: 1,
      runId: 'x',
      status: 'complete',
      startedAt: '2026-11-24T00:00:00Z',
      fingerprint: {},
      scenario: { name: 'x' },
      samples: [],
    });
    const result = await runCli(['report', broken, '--out', join(dir, 'x.html')]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toMatch(new RegExp(`^coldbench report: ${broken}: fingerprint\\.hostname: `));
    const nothing = await writeResult(dir, 'null.json', null as never);
    expect((await runCli(['compare', nothing, nothing])).stderr.trim()).toBe(`coldbench compare: ${nothing}: expected a JSON object written by coldbench run`);
  });
});
