// A results file the size a density-max run makes (295,830 samples by default), from a real one:
// its samples repeated with new iterations and values varied by up to ±10 %, summaries recomputed.
// For timing `store add` (docs/history.md). Run after `npm run build`:
//   node scripts/synth-large-results.mjs results/some-run.json /tmp/big.json [--samples 295830]
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { readResults } from '../dist/results/read.js';
import { summarize } from '../dist/stats/summarize.js';

const { positionals, values } = parseArgs({ allowPositionals: true, options: { samples: { type: 'string' } } });
const [from, to] = positionals;
if (!from || !to) throw new Error('usage: node scripts/synth-large-results.mjs FROM.json TO.json [--samples N]');
const count = Number(values.samples ?? 295_830);
const run = await readResults(from);
const base = run.samples;
const samples = [];
for (let i = 0; samples.length < count; i++) {
  const s = base[i % base.length];
  samples.push({ ...s, iteration: s.iteration + 1000 * Math.floor(i / base.length), value: s.value * (0.9 + (0.2 * ((i * 7919) % 101)) / 100) });
}
await writeFile(to, JSON.stringify({ ...run, runId: `${run.runId}-x${Math.round(count / base.length)}`, samples, summaries: summarize(samples) }));
console.log(`${to}: ${samples.length} samples`);
