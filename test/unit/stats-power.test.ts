// Power from the design and what a run can detect: the paired comparison, minimal detectable
// effects and the planner, checked on synthetic data with known effects (seeded, deterministic).
import { describe, expect, it } from 'vitest';
import type { RunResult, Sample } from '../../src/results/types.js';
import { compareRuns } from '../../src/stats/compare.js';
import { iterationsFor, logStandardError, mdeAt, summaryMde } from '../../src/stats/mde.js';
import { hodgesLehmann, pairByIteration, pairedRatio, signedRankRank } from '../../src/stats/paired.js';
import { planIterations } from '../../src/stats/plan.js';
import { ratioOfMedians, seededRandom } from '../../src/stats/verdicts.js';
import { coldStartTotal } from '../fixtures.js';

/** Standard normal draws (Box–Muller) from a seeded uniform source. */
function normals(random: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/** n log-normal cold starts around `centre` ms with log-sd sigma, times `drift(i)` (shared by both arms of a round). */
function coldStarts(n: number, centre: number, sigma: number, seed: number, drift: (i: number) => number = () => 1): number[] {
  const z = normals(seededRandom(seed));
  return Array.from({ length: n }, (_, i) => centre * drift(i) * Math.exp(sigma * z()));
}

function run(runId: string, arms: Record<string, number[]>): RunResult {
  const samples: Sample[] = Object.entries(arms).flatMap(([runtime, values]) => values.map((value, iteration) => coldStartTotal(runtime, iteration, value)));
  return { runId, samples, summaries: [] } as unknown as RunResult;
}

const lower = () => 'lower' as const;

describe('the paired comparison', () => {
  it('signed-rank ranks match the published critical values (two-sided 5%)', () => {
    // T+ critical values 0, 8, 52, 137, 434 for n = 6, 10, 20, 30, 50: the interval's rank is one more.
    expect([5, 6, 10, 20, 30, 50].map((n) => signedRankRank(n))).toEqual([0, 1, 9, 53, 138, 435]);
    // The normal approximation above 200 values continues the exact count.
    expect(Math.abs(signedRankRank(201) - (signedRankRank(200) * (201 * 202)) / (200 * 201))).toBeLessThan(20);
  });

  it('signed-rank ranks match the published critical values (two-sided 1%), with no interval below 8 values', () => {
    // T+ critical values 0, 3, 37, 109 for n = 8, 10, 20, 30 at two-sided 1%.
    expect([7, 8, 10, 20, 30].map((n) => signedRankRank(n, 0.99))).toEqual([0, 1, 4, 38, 110]);
  });

  it('Hodges–Lehmann: the median of the pairwise averages, no interval below six values', () => {
    expect(hodgesLehmann([1, 2, 3, 4, 5])).toBeNull();
    const hl = hodgesLehmann([1, 2, 3, 4, 5, 100])!;
    expect(hl.estimate).toBe(3.5); // robust to the outlier: the mean would be 19.2
    expect(hl.low).toBe(1);
    expect(hl.high).toBe(100);
  });

  it('pairs by iteration, skipping a gap', () => {
    const a = [0, 1, 2].map((iteration) => ({ iteration, value: 10 + iteration }));
    const b = [0, 2].map((iteration) => ({ iteration, value: 20 + iteration }));
    expect(pairByIteration(a, b)).toEqual([
      [10, 20],
      [12, 22],
    ]);
  });

  it("pairs nothing where an iteration holds many values (a burst's tenants)", () => {
    const a = [0, 0, 1, 1].map((iteration, i) => ({ iteration, value: 10 + i }));
    const b = [0, 1].map((iteration) => ({ iteration, value: 20 + iteration }));
    expect(pairByIteration(a, b)).toEqual([]);
    expect(pairByIteration(b, a)).toEqual([]);
  });

  it('cancels drift shared by adjacent iterations: a 10% slowdown is seen paired, not as two groups', () => {
    // Each round's machine state slows both arms alike (±40% drift), on top of 5% noise of their own.
    const drift = (i: number) => 1 + 0.4 * Math.sin(i * 1.7);
    const a = coldStarts(40, 100, 0.05, 1, drift);
    const b = coldStarts(40, 110, 0.05, 2, drift);
    const [paired] = compareRuns(run('r', { process: a }), run('r', { process: b }), lower);
    const [groups] = compareRuns(run('r', { process: a }), run('r', { process: b }), lower, { paired: false });
    expect(paired!.paired).toBe(true);
    expect(paired!.verdict).toBe('worse');
    expect(paired!.estimate.level).toBe(0.99);
    expect(paired!.estimate.ci[0]).toBeGreaterThan(1);
    expect(paired!.estimate.ci[1]).toBeLessThan(1.2);
    expect(groups!.paired).toBe(false);
    expect(groups!.verdict).toBe('unsure');
    expect(paired!.mde80!).toBeLessThan(groups!.mde80!);
  });

  it('two files of different runs are never paired', () => {
    const [row] = compareRuns(run('x', { process: coldStarts(20, 100, 0.1, 3) }), run('y', { process: coldStarts(20, 100, 0.1, 4) }), lower);
    expect(row!.paired).toBe(false);
  });

  /** The share of A/A paired comparisons (n pairs of identical log-normal arms) called different at `pairedLevel`. */
  function pairedFalseAlarms(n: number, pairedLevel: number, trials = 1000): number {
    let alarms = 0;
    for (let t = 0; t < trials; t++) {
      const a = run('r', { process: coldStarts(n, 100, 0.3, 100 + 2 * t) });
      const b = run('r', { process: coldStarts(n, 100, 0.3, 101 + 2 * t) });
      const [row] = compareRuns(a, b, lower, { pairedLevel });
      if (row!.verdict !== 'unsure') alarms++;
    }
    return alarms / trials;
  }

  it('A/A: identical arms are called different in 5% of paired comparisons at 95%, and under 2% at the default 99%', () => {
    // At 95% the exact signed-rank test alarms at its nominal rate (less what the 5% minimum effect filters);
    // the default level keeps false alarms under coldbench's 2% target (compare-defaults.ts).
    expect(pairedFalseAlarms(40, 0.95)).toBeGreaterThan(0.025);
    expect(pairedFalseAlarms(40, 0.95)).toBeLessThanOrEqual(0.07);
    expect(pairedFalseAlarms(15, 0.99)).toBeLessThanOrEqual(0.02);
    expect(pairedFalseAlarms(40, 0.99)).toBeLessThanOrEqual(0.02);
  });

  it('needs positive values for a log ratio', () => {
    expect(
      pairedRatio([
        [0, 1],
        [1, 1],
      ]),
    ).toBeNull();
  });
});

describe('minimal detectable effects', () => {
  it('grows with the spread and shrinks with n, never below the minimum effect', () => {
    expect(mdeAt(0, 0.8)).toBeCloseTo(0.05, 10);
    expect(mdeAt(0.1, 0.9)).toBeGreaterThan(mdeAt(0.1, 0.8));
    const small = summaryMde(coldStarts(15, 100, 0.3, 5))!;
    const large = summaryMde(coldStarts(240, 100, 0.3, 5))!;
    expect(large.mde80).toBeLessThan(small.mde80);
    // √16 = 4 times the values: the standard error a quarter, so the MDE a quarter too (within bootstrap noise).
    expect(Math.log1p(large.mde80) / Math.log1p(small.mde80)).toBeGreaterThan(0.15);
    expect(Math.log1p(large.mde80) / Math.log1p(small.mde80)).toBeLessThan(0.4);
  });

  it('is absent below six values and for values that are not positive', () => {
    expect(summaryMde([1, 2, 3, 4, 5])).toBeUndefined();
    expect(summaryMde([0, 1, 2, 3, 4, 5, 6])).toBeUndefined();
  });

  it("matches the ratio of medians' bootstrap on log-normal data: an analytic check", () => {
    // The median of n log-normal values has a log standard error of about σ·√(π/2n).
    const n = 200;
    const sigma = 0.3;
    const values = coldStarts(n, 100, sigma, 7);
    const se = logStandardError(ratioOfMedians(values, values).ci);
    expect(se / (Math.SQRT2 * sigma * Math.sqrt(Math.PI / (2 * n)))).toBeGreaterThan(0.75);
    expect(se / (Math.SQRT2 * sigma * Math.sqrt(Math.PI / (2 * n)))).toBeLessThan(1.3);
  });
});

describe('the planner', () => {
  it('refuses a target at or under the minimum effect and scales with the square of the standard error', () => {
    expect(iterationsFor(0.05, 15, 0.1, 0.9)).toBeNull();
    const n1 = iterationsFor(0.1, 15, 0.1, 0.9)!;
    const n2 = iterationsFor(0.1, 15, 0.2, 0.9)!;
    expect(n2 / n1).toBeGreaterThan(3.8);
    expect(n2 / n1).toBeLessThan(4.2);
  });

  it('plans a count at which a known 15% slowdown is called in about 90% of simulated run pairs', () => {
    const sigma = 0.2;
    const pilot = run('pilot', { process: coldStarts(60, 100, sigma, 11) });
    const [row] = planIterations(pilot, 0.15, 0.9);
    const n = row!.needed!;
    expect(n).toBeGreaterThan(20);
    expect(n).toBeLessThan(400);
    let called = 0;
    const trials = 60;
    for (let t = 0; t < trials; t++) {
      const [r] = compareRuns(
        run(`a${t}`, { process: coldStarts(n, 100, sigma, 1000 + t) }),
        run(`b${t}`, { process: coldStarts(n, 115, sigma, 5000 + t) }),
        lower,
      );
      if (r!.verdict === 'worse') called++;
    }
    // 90% planned; the pilot's spread is itself an estimate, so allow a margin either side.
    expect(called / trials).toBeGreaterThan(0.75);
    expect(called / trials).toBeLessThanOrEqual(1);
  });

  it('says when a pilot has too few cold starts to plan from', () => {
    const [row] = planIterations(run('p', { process: [1, 2, 3] }), 0.1, 0.9);
    expect(row!.needed).toBeUndefined();
    expect(row!.mdeNow).toBeUndefined();
  });
});
