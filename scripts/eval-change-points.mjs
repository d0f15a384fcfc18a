// Detection rate and false alarms of the change-point detector (src/stats/change-points.ts) on
// synthetic series: N runs at one level, then N runs after a step of 0, 5, 10 or 20 %, each value
// with Gaussian noise of cv 10 %. A step counts as found when a change point lands within 3 runs
// of it; every other change point is a false alarm. Run after `npm run build`:
//   node scripts/eval-change-points.mjs [--runs 30] [--trials 500] [--penalty 3] [--cv 0.1]
import { parseArgs } from 'node:util';
import { changePoints } from '../dist/stats/change-points.js';
import { seededRandom } from '../dist/stats/verdicts.js';

const { values } = parseArgs({
  options: { runs: { type: 'string' }, trials: { type: 'string' }, penalty: { type: 'string' }, cv: { type: 'string' }, 'min-segment': { type: 'string' } },
});
const runs = Number(values.runs ?? 30);
const trials = Number(values.trials ?? 500);
const cv = Number(values.cv ?? 0.1);
const options = {
  ...(values.penalty ? { penalty: Number(values.penalty) } : {}),
  ...(values['min-segment'] ? { minSegment: Number(values['min-segment']) } : {}),
};
const random = seededRandom(42);
const gauss = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
console.log(`${runs} + ${runs} runs, noise cv ${cv * 100} %, ${trials} series per step, options ${JSON.stringify(options)}`);
for (const step of [0, 0.05, 0.1, 0.2]) {
  let found = 0;
  let falseAlarms = 0;
  for (let k = 0; k < trials; k++) {
    const series = Array.from({ length: 2 * runs }, (_, i) => 100 * (i >= runs ? 1 + step : 1) * (1 + cv * gauss()));
    const points = changePoints(series, options);
    const near = (p) => step > 0 && Math.abs(p.index - runs) <= 3;
    if (points.some(near)) found++;
    falseAlarms += points.filter((p) => !near(p)).length;
  }
  console.log(
    `step ${String(step * 100).padStart(2)} %: ${step ? `detected ${((100 * found) / trials).toFixed(1)} %` : 'no step'}, false alarms ${(falseAlarms / trials).toFixed(3)} per series (${((100 * falseAlarms) / trials / (2 * runs)).toFixed(2)} % of runs)`,
  );
}
