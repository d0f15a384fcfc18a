// In-host micro timings, as a kind (its settings) and as they read: how long the V8 host's own
// code takes to add a tenant and to run one request through a guest. Measuring is in micro.ts.
import { z } from 'zod';
import { formatNumber } from '../format.js';
import { runtimeLabel } from '../results/identity.js';
import { textTable } from '../text-table.js';
import { defineMeasurement } from './types.js';

const MicroOptions = z
  .object({
    timeMs: z.number().int().min(100).max(60_000).default(500).describe('How long tinybench runs each task per repetition, ms.'),
    repetitions: z.number().int().min(1).max(100).default(5).describe('Fresh processes per workload; each gives one p50 and one p99 per task.'),
  })
  .strict();
export type MicroOptions = z.infer<typeof MicroOptions>;

export const micro = defineMeasurement<MicroOptions>({
  name: 'micro',
  summary: "in-host micro timings (tinybench): adding a tenant and one request through the guest, in the V8 host's own code, without HTTP",
  options: MicroOptions,
  owns: ['micro'],

  read: {
    table(result) {
      const rows = result.summaries.filter((s) => s.measurement === 'micro');
      if (rows.length === 0) return undefined;
      return textTable(
        ['workload', 'runtime', 'task', 'metric', 'n', 'median ms', 'min–max ms'],
        rows.map((s) => [
          s.workload,
          runtimeLabel(s),
          s.phase ?? '-',
          s.metric,
          String(s.n),
          formatNumber(s.median),
          `${formatNumber(s.min)}–${formatNumber(s.max)}`,
        ]),
        new Set([4, 5, 6]),
      );
    },

    charts() {
      return [];
    },

    judge(sample) {
      return sample.measurement === 'micro' ? 'lower' : undefined;
    },

    summaryRows(result, scope) {
      return result.summaries.filter((s) => s.measurement === 'micro' && (scope === 'all' || s.metric === 'duration-p50'));
    },

    headlines(result) {
      const p50 = (workload: string, task: string) =>
        result.summaries.find((s) => s.measurement === 'micro' && s.workload === workload && s.phase === task && s.metric === 'duration-p50');
      const workloads = [...new Set(result.summaries.filter((s) => s.measurement === 'micro').map((s) => s.workload))];
      return workloads.flatMap((w) => {
        const add = p50(w, 'add-tenant');
        const request = p50(w, 'request');
        return add && request
          ? [
              `Inside the V8 host's code (tinybench, no HTTP), adding a ${w} tenant takes ${formatNumber(add.median)} ms and one request through the guest ${formatNumber(request.median * 1000)} µs (medians of ${add.n} repetitions).`,
            ]
          : [];
      });
    },
  },
});
