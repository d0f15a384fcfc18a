import { describe, expect, it } from 'vitest';
import type { Sample } from '../../src/results/types.js';
import { mergeLatencies } from '../../src/stats/histograms.js';
import { formatInterval, medianConfidenceInterval, medianInterval, summarize } from '../../src/stats/summarize.js';

const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe('median confidence interval', () => {
  it('uses the binomial order statistics (ranks 2 and 9 of 10)', () => {
    expect(medianConfidenceInterval(range(10))).toEqual([2, 9]);
  });
  it('uses ranks 40 and 61 of 100', () => {
    // P(Bin(100, .5) <= 39) = 0.0176 <= 0.025 < P(<= 40) = 0.0284
    expect(medianConfidenceInterval(range(100))).toEqual([40, 61]);
  });
  it('widens to min and max when there are too few values', () => {
    expect(medianConfidenceInterval([3, 1, 2].sort())).toEqual([1, 3]);
  });
});

describe('the interval rule at small n', () => {
  it('gives no 95% interval below 6 values, and says what min–max covers', () => {
    expect(medianInterval(range(2))).toEqual({ ci95: null, ciLevel: 0.5 });
    expect(medianInterval(range(3))).toEqual({ ci95: null, ciLevel: 0.75 });
    expect(medianInterval(range(5))).toEqual({ ci95: null, ciLevel: 0.9375 });
    expect(formatInterval({ n: 3, ...medianInterval(range(3)) })).toBe('none (n=3, min–max: 75%)');
  });
  it('reports the level the interval actually reaches', () => {
    expect(medianInterval(range(6))).toEqual({ ci95: [1, 6], ciLevel: 1 - 2 / 64 });
    const ten = medianInterval(range(10));
    expect(ten.ci95).toEqual([2, 9]);
    expect(ten.ciLevel).toBeCloseTo(1 - 2 * (11 / 1024), 10);
  });
});

describe('summarize', () => {
  it('derives one summary per workload, runtime, phase and metric', () => {
    const sample = (runtime: string, phase: string, value: number): Sample => ({
      scenario: 's',
      measurement: 'coldstart',
      workload: 'hello',
      runtime,
      tenants: 1,
      iteration: 0,
      phase,
      metric: 'duration',
      unit: 'ms',
      value,
    });
    const summaries = summarize([sample('docker', 'total', 100), sample('docker', 'total', 300), sample('docker', 'total', 200), sample('wasm', 'total', 5)]);
    expect(summaries).toHaveLength(2);
    const docker = summaries.find((s) => s.runtime === 'docker')!;
    expect(docker).toMatchObject({ n: 3, median: 200, min: 100, max: 300, mean: 200, ci95: null, ciLevel: 0.75, cv: 0.5 });
  });
});

describe('latency histograms', () => {
  it('merge passes exactly: the p99 of all requests, not a median of p99s', async () => {
    const hdr = await import('hdr-histogram-js');
    const pass = (values: number[]) => {
      const h = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 600_000_000, numberOfSignificantValueDigits: 3 });
      for (const v of values) h.recordValue(v);
      return hdr.encodeIntoCompressedBase64(h);
    };
    // Two passes of 100 requests: one fast (1 ms each), one with 10 slow requests (100 ms).
    const fast = pass(Array(100).fill(1000));
    const slow = pass([...Array(90).fill(1000), ...Array(10).fill(100_000)]);
    const merged = mergeLatencies([fast, slow])!;
    expect(merged.count).toBe(200);
    expect(merged.p90).toBeCloseTo(1, 2);
    expect(merged.p99).toBeCloseTo(100, 0);
  });
});
