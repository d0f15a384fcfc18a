// Budgets: parsing, evaluation against known results, and the assert command's exit codes.

import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluateBudget, parseBudget } from '../src/stats/budgets.js';
import { syntheticResult, writeResult } from './fixtures.js';
import { runCli, tempDir } from './helpers.js';

// syntheticResult: cold start totals centred on docker 120 ms, wasm 5 ms, process 80 ms (±10%).
const result = syntheticResult();

describe('budgets', () => {
  it('parse absolute and relative limits, in the stored unit', () => {
    expect(parseBudget('hello/wasm/total median <= 100ms')).toMatchObject({ level: 'error', aggregate: 'median', op: '<=', limit: { value: 100, unit: 'ms' } });
    expect(parseBudget('warn hello/wasm/total p95 < 250us')).toMatchObject({ level: 'warn', limit: { value: 0.25, unit: 'ms' } });
    expect(parseBudget('hello/docker/total p95 <= 2x hello/process/total').limit).toEqual({
      factor: 2,
      of: { workload: 'hello', runtime: 'process', what: 'total' },
    });
    expect(parseBudget('hello-c/wasmtime:per-tenant/instantiate median < 10us').quantity).toEqual({
      workload: 'hello-c',
      runtime: 'wasmtime',
      variant: 'per-tenant',
      what: 'instantiate',
    });
    expect(() => parseBudget('hello/wasm/total median <= 100')).toThrow(/expected a number with a unit/);
    expect(() => parseBudget('hello/wasm/total typical <= 100ms')).toThrow(/expected median, mean, p95, min or max/);
  });

  it('pass and fail against known values', () => {
    expect(evaluateBudget(parseBudget('hello/wasm/total median <= 100ms'), result)[0]!.passed).toBe(true);
    expect(evaluateBudget(parseBudget('hello/docker/total median <= 100ms'), result)[0]!.passed).toBe(false);
    expect(evaluateBudget(parseBudget('hello/docker/total p95 <= 2x hello/process/total'), result)[0]!.passed).toBe(true);
    expect(evaluateBudget(parseBudget('hello/docker/total p95 <= 1.2x hello/process/total'), result)[0]!.passed).toBe(false);
    expect(evaluateBudget(parseBudget('hello/docker/pss median <= 20MiB'), result)[0]).toMatchObject({ passed: true, unit: 'MiB' }); // largest step: 12.1 MiB
    expect(evaluateBudget(parseBudget('hello/process/throughput median >= 100req/s'), result)[0]!.passed).toBe(true);
    expect(evaluateBudget(parseBudget('hello/nope/total median <= 1s'), result)).toMatchObject([
      {
        passed: false,
        detail: 'hello/nope/total is not in these results (hello/total is measured on: docker, process, wasm)',
      },
    ]);
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
