// In-host micro timings (tinybench): how long the V8 host's own code takes to add a tenant
// (instantiate and first call, without HTTP or the control API) and to run one request through
// a guest, in a process of its own that loads components exactly as the host does. They separate
// the host's costs from the HTTP and process costs inside cold start and load.
import { join } from 'node:path';
import { z } from 'zod';
import { formatNumber } from '../format.js';
import { PROJECT_ROOT } from '../paths.js';
import { runtimeLabel } from '../results/identity.js';
import { driverContext, makeSample } from '../results/sample.js';
import { textTable } from '../text-table.js';
import type { MicroInput, MicroOutput } from './micro-types.js';
import { defineMeasurement } from './types.js';
import { runWorkerProcess } from './worker-process.js';

const WORKER = join(PROJECT_ROOT, 'dist', 'measure', 'micro-worker.js');
const V8_HOST = 'wasm';

const MicroOptions = z
  .object({
    timeMs: z.number().int().min(100).max(60_000).default(500).describe('How long tinybench runs each task per repetition, ms.'),
    repetitions: z.number().int().min(1).max(100).default(5).describe('Fresh processes per workload; each gives one p50 and one p99 per task.'),
  })
  .strict();
type MicroOptions = z.infer<typeof MicroOptions>;

export const micro = defineMeasurement<MicroOptions>({
  name: 'micro',
  summary: "in-host micro timings (tinybench): adding a tenant and one request through the guest, in the V8 host's own code, without HTTP",
  options: MicroOptions,
  owns: ['micro'],

  async run(context) {
    const driver = context.drivers.find((d) => d.name === V8_HOST);
    const component = context.artifacts.component;
    if (!driver || !component) return; // only the V8 host's code is timed here
    const input: MicroInput = { module: component.module, path: context.artifacts.workload.requests[0]!.path, timeMs: context.options.timeMs };
    const sampleContext = { ...driverContext(context.scenario, context.artifacts.workload.name, driver), variant: undefined };
    for (let repetition = 0; repetition < context.options.repetitions; repetition++) {
      context.signal.throwIfAborted();
      const output = await runWorker(input, context.runId, context.signal);
      await context.onSamples(
        Object.entries(output).flatMap(([task, latency]) =>
          (['p50', 'p99'] as const).map((q) =>
            makeSample(sampleContext, {
              measurement: 'micro',
              tenants: 1,
              iteration: repetition,
              phase: task,
              metric: `duration-${q}`,
              unit: 'ms',
              value: latency[q],
            }),
          ),
        ),
      );
      context.onProgress(
        `  ${context.artifacts.workload.name}: micro ${repetition + 1}/${context.options.repetitions} (add-tenant p50 ${formatNumber(output['add-tenant']!.p50)} ms, request p50 ${formatNumber(output.request!.p50 * 1000)} µs, ${output.request!.runs} requests)`,
      );
    }
  },

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
});

function runWorker(input: MicroInput, runId: string, signal: AbortSignal): Promise<MicroOutput> {
  // --trace-sigint, as the host runs: its per-request deadline relies on it (src/wasm-host/deadline.ts).
  return runWorkerProcess<MicroOutput>(WORKER, input, {
    what: 'the micro measurement',
    timeoutMs: input.timeMs * 20 + 60_000,
    signal,
    runId,
    nodeArgs: ['--trace-sigint'],
  });
}
