// Bursts of cold starts and the sustained start rate, as a kind (its settings) and as it reads:
// per runtime, how long K tenants started at once take to all answer and what their first
// responses wait (p50, p99), and the highest start rate sustained (the knee). Measuring is in burst.ts.
import { z } from 'zod';
import { formatMs } from '../format.js';
import { burstCharts } from '../report/burst-charts.js';
import { runtimeLabel } from '../results/identity.js';
import type { RunResult } from '../results/types.js';
import { textTable } from '../text-table.js';
import { burstFigures, kneeWords, type RuntimeBursts } from './burst-figures.js';
import { defineMeasurement } from './types.js';

const StartRate = z
  .object({
    rates: z
      .array(z.number().min(0.1).max(100_000))
      .min(1)
      .max(30)
      .default([1, 10, 100, 1000])
      .describe('Offered start rates (starts per second), tried in ascending order; a runtime stops at the first it does not sustain.'),
    durationSec: z.number().min(0.5).max(600).default(3).describe('How long each rate is offered.'),
    overloadMs: z
      .number()
      .int()
      .min(10)
      .max(600_000)
      .default(5000)
      .describe('A start that waits this long ends the pass as overloaded: no more starts at this rate or above.'),
    backlogShare: z
      .number()
      .min(0.001)
      .max(1)
      .default(0.05)
      .describe('Overloaded when the wait grows with start time at this slope or more (ms per ms: starts answered at under 95% of the offered rate)…'),
    growthMs: z.number().min(0).max(600_000).default(100).describe('…and by at least this many ms over the pass (a trend, not one slow start).'),
    minStarts: z.number().int().min(4).max(100_000).default(8).describe('Starts per pass at least, so that a low rate still shows a trend.'),
  })
  .strict();

const BurstOptions = z
  .object({
    sizes: z
      .array(z.number().int().min(1).max(100_000))
      .min(1)
      .max(20)
      .default([1, 10, 100])
      .describe('Burst sizes K: tenants deployed at the same instant, each probed until its first expected response.'),
    repetitions: z.number().int().min(1).max(100).default(3).describe('Bursts of each size per runtime, runtimes interleaved in shuffled order.'),
    warmup: z
      .number()
      .int()
      .min(0)
      .max(100)
      .default(1)
      .describe("Single cold starts per runtime before the first burst, discarded (first-use costs: a host's first tenant, the engine's caches)."),
    maxSizePerRuntime: z
      .record(z.string(), z.number().int().min(1).max(100_000))
      .optional()
      .describe('Larger bursts are not measured on these runtimes, e.g. { docker: 100 } (each skipped size is noted in the results).'),
    maxInFlight: z
      .number()
      .int()
      .min(1)
      .max(100_000)
      .default(100_000)
      .describe("Deploys the harness has in flight at once; the default never holds one back, so only the runtime's own queues bound a burst."),
    timeoutMs: z
      .number()
      .int()
      .min(100)
      .max(3_600_000)
      .default(120_000)
      .describe('A tenant that has not answered this long after its burst began counts as failed.'),
    settleMs: z.number().int().min(0).max(60_000).default(500).describe("Wait after a burst's teardown before the next burst."),
    startRate: StartRate.optional().describe('Set: also start tenants at fixed rates (open model) and find the rate each runtime sustains.'),
  })
  .strict();
export type BurstOptions = z.infer<typeof BurstOptions>;
export type StartRateOptions = z.infer<typeof StartRate>;

/** The burst size the headlines and the claim read first. */
export const HEADLINE_SIZE = 100;

const sizeCell = (r: RuntimeBursts, size: number) => {
  const f = r.sizes.find((s) => s.size === size);
  if (!f) return '-';
  const all = f.allAnswered === undefined ? `${f.failed} failed` : formatMs(f.allAnswered);
  return `${all} (p50 ${formatMs(f.p50)}, p99 ${formatMs(f.p99)})`;
};

/** "all answered within 41 ms on wasmtime, 2.3 s on docker" for one workload at one size. */
function sizeSentence(workload: string, size: number, runtimes: RuntimeBursts[]): string | undefined {
  const measured = runtimes
    .map((r) => ({ r, f: r.sizes.find((s) => s.size === size) }))
    .filter((x) => x.f)
    .sort((a, b) => (a.f!.allAnswered ?? Infinity) - (b.f!.allAnswered ?? Infinity));
  if (measured.length === 0) return undefined;
  const parts = measured.map(({ r, f }) =>
    f!.allAnswered === undefined
      ? `not all on ${runtimeLabel(r.identity)} (${f!.failed} failed)`
      : `${formatMs(f!.allAnswered)} on ${runtimeLabel(r.identity)} (p99 first response ${formatMs(f!.p99)})`,
  );
  return `${size.toLocaleString('en-US')} new ${workload} tenant${size === 1 ? '' : 's'} started at once all answered within ${parts.join(', ')}.`;
}

export const burst = defineMeasurement({
  name: 'burst',
  summary: 'bursts of K cold starts at once (time until all answer, first-response p50/p99) and the sustained start rate (open model, its knee)',
  options: BurstOptions,
  owns: ['burst', 'start-rate'],

  read: {
    table(result) {
      const runtimes = burstFigures(result);
      if (runtimes.length === 0) return undefined;
      const sizes = [...new Set(runtimes.flatMap((r) => r.sizes.map((s) => s.size)))].sort((a, b) => a - b);
      const anyRates = runtimes.some((r) => r.knee);
      const header = ['workload', 'runtime', ...sizes.map((k) => `K=${k}: all answered (p50, p99)`), ...(anyRates ? ['start-rate knee'] : [])];
      const rows = runtimes.map((r) => [
        r.workload,
        runtimeLabel(r.identity),
        ...sizes.map((k) => sizeCell(r, k)),
        ...(anyRates ? [r.knee ? kneeWords(r.knee) : '-'] : []),
      ]);
      return ['burst', '-----', textTable(header, rows)].join('\n');
    },

    charts: (results) => burstCharts(results),

    judge(sample) {
      if (sample.measurement === 'burst' && sample.unit === 'ms') return 'lower';
      if (sample.measurement === 'start-rate' && sample.unit === 'ms') return 'lower';
      if (sample.measurement === 'start-rate' && sample.metric === 'achieved-rate') return 'higher';
      return undefined;
    },

    summaryRows(result, scope) {
      const rows = result.summaries.filter((s) => s.measurement === 'burst' || s.measurement === 'start-rate');
      return scope === 'all' ? rows : rows.filter((s) => s.measurement === 'burst' && s.phase === 'all-answered');
    },

    headlines(result: RunResult) {
      const runtimes = burstFigures(result);
      const lines: string[] = [];
      for (const workload of [...new Set(runtimes.map((r) => r.workload))]) {
        const of = runtimes.filter((r) => r.workload === workload);
        const sizes = [...new Set(of.flatMap((r) => r.sizes.map((s) => s.size)))];
        // The size every runtime reached, preferring 100; else the largest measured.
        const size = sizes.includes(HEADLINE_SIZE) ? HEADLINE_SIZE : Math.max(...sizes);
        const sentence = sizes.length ? sizeSentence(workload, size, of) : undefined;
        if (sentence) lines.push(sentence);
        const knees = of.filter((r) => r.knee).sort((a, b) => b.knee!.sustained - a.knee!.sustained);
        if (knees.length) {
          const words = knees.map((r) => {
            const at = r.rates.find((x) => x.rate === r.knee!.sustained);
            return `${kneeWords(r.knee!)} on ${runtimeLabel(r.identity)}${at?.p99 !== undefined ? ` (p99 ${formatMs(at.p99)})` : ''}`;
          });
          lines.push(
            `${workload} tenants started at a fixed rate: sustained ${words.join(', ')} (Faasm reported Docker ~3/s, Faaslets ~600/s, Proto-Faaslets ~4,000/s).`,
          );
        }
      }
      return lines;
    },
  },
});
