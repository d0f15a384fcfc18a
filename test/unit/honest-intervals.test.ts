// The honest-interval rule: below six values no figure is called a 95% interval anywhere (the
// report's tables and sentences, the terminal tables, compare), ratios and verdicts included.
import { describe, expect, it } from 'vitest';
import { judge, measurementKinds } from '../../src/measure/registry.js';
import { compareMarkdown, compareTerminal } from '../../src/report/compare-table.js';
import { renderReport } from '../../src/report/page.js';
import type { RunResult } from '../../src/results/types.js';
import { compareRuns } from '../../src/stats/compare.js';
import { summarize } from '../../src/stats/summarize.js';
import { syntheticResult } from '../fixtures.js';

/** A synthetic run cut to its first n iterations (cold starts, load passes, density steps). */
function firstIterations(result: RunResult, n: number, runId = result.runId): RunResult {
  const samples = result.samples.filter((s) => s.iteration < n);
  return { ...result, runId, samples, summaries: summarize(samples) };
}

const NINETY_FIVE = /95\s?%/;

describe('honest intervals', () => {
  const two = firstIterations(syntheticResult(), 2);
  const twoOther = firstIterations(syntheticResult({ coldStartMs: { docker: 130, wasm: 5, process: 70 } }), 2, 'other-run');

  it('a 2-iteration run renders a report with no "95%" in it, one file or two', async () => {
    const one = await renderReport([two]);
    expect(one).toContain('reached first response');
    expect(one).toContain('too few for a confidence interval');
    expect(one).not.toMatch(NINETY_FIVE);
    const both = await renderReport([two, twoOther]);
    expect(both).toContain('<h2>Comparison</h2>');
    expect(both).not.toMatch(NINETY_FIVE);
  });

  it("a 2-iteration run's terminal tables and compare output say no 95%, and give no verdict", () => {
    for (const kind of measurementKinds()) expect(kind.read.table?.(two) ?? '').not.toMatch(NINETY_FIVE);
    const rows = compareRuns(two, twoOther, judge);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row.verdict).toBe('too few samples');
      expect(row.mde80).toBeUndefined();
    }
    expect(compareTerminal(rows)).not.toMatch(NINETY_FIVE);
    expect(compareMarkdown(rows)).not.toMatch(NINETY_FIVE);
  });

  it('with 20 iterations the intervals are there and named', async () => {
    const full = syntheticResult();
    expect(await renderReport([full])).toMatch(/95% CI/);
    expect(measurementKinds().find((k) => k.name === 'coldstart')!.read.table!(full)).toContain('95% CI of median');
  });
});
