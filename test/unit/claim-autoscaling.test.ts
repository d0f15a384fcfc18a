// The autoscaling claim's verdicts, pinned on synthetic burst and start-rate samples: which half
// fails is said, a knee never overloaded is a lower bound, and no burst run means not measured.
import { describe, expect, it } from 'vitest';
import { burst } from '../../src/measure/burst-read.js';
import { evaluateClaims } from '../../src/report/claims.js';
import type { RunResult, Sample } from '../../src/results/types.js';
import { summarize } from '../../src/stats/summarize.js';
import { syntheticResult } from '../fixtures.js';

interface Shape {
  /** First responses at K = 100, spread evenly from p0 to this p100 (ms). */
  worstMs: number;
  /** Offered rates and whether each was sustained, ascending. */
  rates?: [number, 'sustained' | 'overloaded'][];
  failed?: number;
}

function withBursts(shapes: Record<string, Shape>): RunResult {
  const result = syntheticResult({ coldStartMs: { docker: 120, wasmtime: 3 } });
  const samples: Sample[] = [];
  for (const [runtime, shape] of Object.entries(shapes)) {
    const base = { scenario: 'synthetic', workload: 'hello-c', runtime, tenants: 100, iteration: 0 };
    for (let i = 1; i <= 100 - (shape.failed ?? 0); i++)
      samples.push({ ...base, measurement: 'burst', phase: 'first-response', metric: 'latency', unit: 'ms', value: (shape.worstMs * i) / 100 });
    samples.push({ ...base, measurement: 'burst', phase: 'failed', metric: 'tenants', unit: 'count', value: shape.failed ?? 0 });
    if (!shape.failed) samples.push({ ...base, measurement: 'burst', phase: 'all-answered', metric: 'duration', unit: 'ms', value: shape.worstMs });
    for (const [rate, outcome] of shape.rates ?? []) {
      const pass = { ...base, measurement: 'start-rate', tenants: rate * 3, phase: `${rate}/s` };
      samples.push({ ...pass, metric: 'outcome', unit: 'category', value: 1, category: outcome });
      samples.push({ ...pass, metric: 'first-response-p99', unit: 'ms', value: outcome === 'sustained' ? shape.worstMs / 2 : 5000 });
    }
  }
  result.samples.push(...samples);
  result.summaries = summarize(result.samples);
  result.runtimes = [
    { runtime: 'docker', family: 'container', available: true },
    { runtime: 'wasmtime', family: 'wasm', available: true },
  ];
  return result;
}

const autoscaling = (result: RunResult) => evaluateClaims([result]).find((c) => c.id === 'autoscaling')!;

const FAST_WASM: Shape = {
  worstMs: 40,
  rates: [
    [10, 'sustained'],
    [100, 'sustained'],
    [1000, 'sustained'],
  ],
};
const SLOW_DOCKER: Shape = {
  worstMs: 2300,
  rates: [
    [10, 'sustained'],
    [100, 'overloaded'],
  ],
};

describe('the autoscaling claim', () => {
  it('states its thresholds', () => {
    const c = autoscaling(withBursts({}));
    expect(c.statement).toContain('100 new tenants');
    expect(c.statement).toContain('within 100 ms');
    expect(c.statement).toContain('at least 1 s');
    expect(c.statement).toContain('10×');
  });

  it('is not measured without a burst run, and says what would measure it', () => {
    const c = autoscaling(syntheticResult());
    expect(c.verdict).toBe('not measured');
    expect(c.howToMeasure).toContain('scenarios/burst.yaml');
  });

  it('holds when Wasm answers 100 within 100 ms, the container needs a second, and Wasm sustains 10× the start rate', () => {
    const c = autoscaling(withBursts({ wasmtime: FAST_WASM, docker: SLOW_DOCKER }));
    expect(c.verdict).toBe('holds');
    expect(c.evidence).toEqual([
      'holds for hello-c, 100 at once: p99 39.6 ms on wasmtime against p99 2277 ms on docker, the fastest container (run synthetic-run); start rate: wasmtime ≥ 1,000 starts/s against docker 10 starts/s (≥ 100×)',
    ]);
  });

  it('does not hold when the burst half fails on the Wasm side, and says so', () => {
    const c = autoscaling(withBursts({ wasmtime: { ...FAST_WASM, worstMs: 400 }, docker: SLOW_DOCKER }));
    expect(c.verdict).toBe('does not hold');
    expect(c.evidence[0]).toContain('the burst half fails on the Wasm side: p99 396 ms on wasmtime, not within 100 ms');
  });

  it('does not hold when a Wasm tenant of the burst did not answer', () => {
    const c = autoscaling(withBursts({ wasmtime: { ...FAST_WASM, failed: 1 }, docker: SLOW_DOCKER }));
    expect(c.verdict).toBe('does not hold');
    expect(c.evidence[0]).toContain("1 of wasmtime's tenants did not answer");
  });

  it('does not hold when the container answers 100 within a second', () => {
    const c = autoscaling(withBursts({ wasmtime: FAST_WASM, docker: { ...SLOW_DOCKER, worstMs: 600 } }));
    expect(c.verdict).toBe('does not hold');
    expect(c.evidence[0]).toContain('the burst half fails on the container side: docker answered 100 with p99 594 ms');
  });

  it('does not hold when the Wasm start rate, overloaded, is under 10× the container variant’s', () => {
    const wasm: Shape = {
      worstMs: 40,
      rates: [
        [10, 'sustained'],
        [50, 'sustained'],
        [100, 'overloaded'],
      ],
    };
    const c = autoscaling(withBursts({ wasmtime: wasm, docker: SLOW_DOCKER }));
    expect(c.verdict).toBe('does not hold');
    expect(c.evidence[0]).toContain('the start-rate half fails: wasmtime 50 starts/s against docker 10 starts/s (5×, not 10×)');
  });

  it('is not measured when the container was never overloaded (its knee is a lower bound) or no start rate was measured', () => {
    const unbroken: Shape = { worstMs: 2300, rates: [[10, 'sustained']] };
    const c = autoscaling(withBursts({ wasmtime: FAST_WASM, docker: unbroken }));
    expect(c.verdict).toBe('not measured');
    expect(c.evidence[0]).toContain('docker was never overloaded (≥ 10 starts/s), so its knee is only a lower bound');
    expect(autoscaling(withBursts({ wasmtime: { worstMs: 40 }, docker: { worstMs: 2300 } })).verdict).toBe('not measured');
  });

  it('judges the start rate against the container variant that sustained the most, the burst against the fastest at K = 100', () => {
    const result = withBursts({ wasmtime: FAST_WASM, docker: SLOW_DOCKER });
    const quicker = result.samples
      .filter((s) => s.runtime === 'docker')
      .map((s) => ({ ...s, variant: 'crun', ...(s.metric === 'outcome' && s.phase === '100/s' ? { category: 'sustained' } : {}) }));
    quicker.push({ ...quicker.find((s) => s.metric === 'outcome')!, phase: '1000/s', category: 'overloaded' });
    result.samples.push(...quicker);
    const c = autoscaling(result);
    expect(c.verdict).toBe('holds');
    expect(c.evidence[0]).toContain('against p99 2277 ms on docker, the fastest container');
    expect(c.evidence[0]).toContain('start rate: wasmtime ≥ 1,000 starts/s against docker (crun) 100 starts/s (≥ 10×)');
  });

  it('a container overloaded at its lowest rate is judged below that rate', () => {
    const c = autoscaling(withBursts({ wasmtime: FAST_WASM, docker: { worstMs: 2300, rates: [[10, 'overloaded']] } }));
    expect(c.verdict).toBe('holds');
    expect(c.evidence[0]).toContain('docker < 10 starts/s');
  });

  it('the read side says it in words', () => {
    const lines = burst.read.headlines(withBursts({ wasmtime: FAST_WASM, docker: SLOW_DOCKER }), {});
    expect(lines).toEqual([
      '100 new hello-c tenants started at once all answered within 40 ms on wasmtime (p99 first response 39.6 ms), 2300 ms on docker (p99 first response 2277 ms).',
      'hello-c tenants started at a fixed rate: sustained ≥ 1,000 starts/s on wasmtime (p99 20 ms), 10 starts/s on docker (p99 1150 ms) (Faasm reported Docker ~3/s, Faaslets ~600/s, Proto-Faaslets ~4,000/s).',
    ]);
  });
});
