// Verdicts between two runs (the compare command itself: test/cli-results-commands.test.ts).

import { median, sampleWithReplacement } from 'simple-statistics';
import { describe, expect, it } from 'vitest';
import { judge } from '../../src/measure/registry.js';
import { compareRuns } from '../../src/stats/compare.js';
import { ratioOfMedians, seededRandom, verdict, verdictWord } from '../../src/stats/verdicts.js';
import { syntheticResult } from '../fixtures.js';

const around = (centre: number, n = 30) => Array.from({ length: n }, (_, i) => centre * (1 + (((i * 37) % 11) - 5) / 100));

describe('ratio of medians and verdicts', () => {
  it('is deterministic, with the true ratio inside its interval', () => {
    const a = ratioOfMedians(around(100), around(50));
    expect(ratioOfMedians(around(100), around(50))).toEqual(a);
    expect(a.ratio).toBeCloseTo(0.5, 2);
    expect(a.ci[0]).toBeLessThan(0.5);
    expect(a.ci[1]).toBeGreaterThan(0.5);
  });

  it('says better, worse or unsure, the right way round for each direction, in the words of its unit', () => {
    expect(verdict(ratioOfMedians(around(100), around(50)), 'lower')).toBe('better');
    expect(verdict(ratioOfMedians(around(100), around(150)), 'lower')).toBe('worse');
    expect(verdict(ratioOfMedians(around(100), around(101)), 'lower')).toBe('unsure');
    expect(verdict(ratioOfMedians(around(1000), around(2000)), 'higher')).toBe('better');
    expect(verdictWord('better', 'ms')).toBe('faster');
    expect(verdictWord('worse', 'MiB')).toBe('more memory');
    expect(verdictWord('better', 'MiB')).toBe('less memory');
  });

  it('resamples over ranks to the same interval as copying and selecting (odd and even sizes)', () => {
    const skewed = (n: number, seed: number) => {
      const r = seededRandom(seed);
      return Array.from({ length: n }, () => 10 + 40 * r() ** 3);
    };
    for (const [a, b] of [
      [skewed(41, 1), skewed(60, 2)],
      [skewed(200, 3), skewed(151, 4)],
      [skewed(1001, 5), skewed(800, 6)],
    ] as const) {
      const random = seededRandom(9);
      const naive = Array.from(
        { length: 4000 },
        () => median(sampleWithReplacement(b, b.length, random)) / median(sampleWithReplacement(a, a.length, random)),
      ).sort((x, y) => x - y);
      const fast = ratioOfMedians(a, b, 4000);
      // Both are Monte Carlo estimates of the same percentiles (4000 resamples): equal to within 3%.
      expect(Math.abs(fast.ci[0] / naive[100]! - 1)).toBeLessThan(0.03);
      expect(Math.abs(fast.ci[1] / naive[3899]! - 1)).toBeLessThan(0.03);
    }
  });
});

describe('verdicts only where data supports them', () => {
  it('refuses a verdict below the minimum n, and calls a change below the minimum effect unsure', () => {
    const few = syntheticResult();
    few.samples = few.samples.filter((s) => s.measurement !== 'coldstart' || s.iteration < 4);
    const slower = syntheticResult({ coldStartMs: { docker: 180, wasm: 5, process: 40 } });
    const rows = compareRuns(few, slower, judge);
    expect(rows.find((r) => r.runtime === 'docker' && r.phase === 'total')!.verdictText).toBe('too few samples');
    const close = syntheticResult({ coldStartMs: { docker: 123, wasm: 5, process: 80 } }); // +2.5%
    expect(compareRuns(syntheticResult(), close, judge).find((r) => r.runtime === 'docker' && r.phase === 'total')!.verdictText).toBe('unsure');
  });

  it("never judges the prober's floor or once-per-run set-up samples unless asked", () => {
    expect(compareRuns(syntheticResult(), syntheticResult(), judge).some((r) => r.measurement === 'probe-floor' || r.measurement === 'setup')).toBe(false);
  });
});
