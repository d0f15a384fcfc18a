// Budgets: parsing and evaluation against known results (the assert command: test/cli-results-commands.test.ts).

import { describe, expect, it } from 'vitest';
import { evaluateBudget, parseBudget } from '../../src/stats/budgets.js';
import { syntheticResult } from '../fixtures.js';

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
