// How a soak judges memory growth: medians of the first and last quarter of the intervals, and for
// a host with a JS heap its live heap and its RSS outside the heap instead of its whole RSS.
import { describe, expect, it } from 'vitest';
import { memoryGrowthProblems, quarterMedians, soakGrowth } from '../../src/measure/soak-read.js';

describe('soak memory growth', () => {
  it('compares the median of the first quarter of the intervals with the median of the last', () => {
    expect(quarterMedians([10, 30, 20, 99, 99, 99, 40, 60])).toEqual([20, 50]);
    expect(soakGrowth([10, 30, 20, 99, 99, 99, 40, 60])).toBe(30);
    // A reading that swings within each collection cycle does not count as growth.
    expect(soakGrowth([300, 420, 310, 430, 305, 425, 300, 420])).toBe(0);
    expect(soakGrowth([5])).toBe(0);
    expect(soakGrowth([])).toBeUndefined();
  });

  it('judges the RSS of a host without a JS heap', () => {
    const rss = (values: number[]) => values.map((rssMiB) => ({ rssMiB }));
    expect(memoryGrowthProblems(rss([40, 40, 41, 42]), 64)).toEqual([]);
    expect(memoryGrowthProblems(rss([40, 60, 90, 140]), 64)).toEqual(['RSS grew 100 MiB (bound 64 MiB)']);
  });

  it("judges a V8 host's live heap and its RSS outside the heap, not the garbage in its RSS", () => {
    const heapGarbage = [300, 400, 500, 600].map((rssMiB) => ({ rssMiB, heapLiveMiB: 140, outsideHeapMiB: 90 }));
    expect(memoryGrowthProblems(heapGarbage, 64)).toEqual([]);
    const leaking = [100, 150, 200, 250].map((heapLiveMiB, i) => ({ rssMiB: 400, heapLiveMiB, outsideHeapMiB: 90 + i * 40 }));
    expect(memoryGrowthProblems(leaking, 64)).toEqual(['the live JS heap grew 150 MiB (bound 64 MiB)', 'RSS outside the JS heap grew 120 MiB (bound 64 MiB)']);
  });
});
