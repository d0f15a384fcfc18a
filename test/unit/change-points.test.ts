// Change points (PELT on run medians): a step is found where it is, flat and noisy series give
// none, several steps are each found, and the detection figures on synthetic series hold.
import { describe, expect, it } from 'vitest';
import { changePoints, noiseSigma } from '../../src/stats/change-points.js';
import { seededRandom } from '../../src/stats/verdicts.js';

const random = seededRandom(7);
const gauss = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
const noisy = (levels: number[], cv: number) => levels.map((level) => level * (1 + cv * gauss()));

describe('change points', () => {
  it('finds one step where it is, with the levels on either side', () => {
    const series = [...Array(15).fill(100), ...Array(15).fill(120)].map((v, i) => v * (1 + ((i % 3) - 1) / 100));
    const points = changePoints(series);
    expect(points).toHaveLength(1);
    expect(points[0]!.index).toBe(15);
    expect(points[0]!.change).toBeCloseTo(0.2, 2);
  });

  it('finds nothing in a flat series, in a constant one, or in one too short to hold two segments', () => {
    expect(changePoints(Array(40).fill(5))).toEqual([]);
    expect(changePoints(noisy(Array(40).fill(100), 0.1))).toEqual([]);
    expect(changePoints([1, 1, 1, 9, 9, 9])).toEqual([]);
  });

  it('finds each of several steps, up and down', () => {
    const levels = [...Array(12).fill(100), ...Array(12).fill(140), ...Array(12).fill(90)];
    const points = changePoints(noisy(levels, 0.03));
    expect(points.map((p) => p.index)).toEqual([12, 24]);
    expect(points[0]!.change).toBeGreaterThan(0.3);
    expect(points[1]!.change).toBeLessThan(-0.3);
  });

  it('estimates the noise from successive differences, so a step does not inflate it', () => {
    const series = noisy([...Array(50).fill(100), ...Array(50).fill(200)], 0.05);
    expect(noiseSigma(series)).toBeGreaterThan(3);
    expect(noiseSigma(series)).toBeLessThan(9);
  });

  it('on 30 + 30 runs with cv 10 % noise: finds most 20 % steps and few false alarms', () => {
    let found = 0;
    let falseAlarms = 0;
    for (let k = 0; k < 200; k++) {
      const step = noisy([...Array(30).fill(100), ...Array(30).fill(120)], 0.1);
      if (changePoints(step).some((p) => Math.abs(p.index - 30) <= 3)) found++;
      falseAlarms += changePoints(noisy(Array(60).fill(100), 0.1)).length;
    }
    expect(found / 200).toBeGreaterThan(0.85);
    expect(falseAlarms / 200).toBeLessThan(0.08);
  });
});
