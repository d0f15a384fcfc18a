// In-host micro timings (tinybench), measured: how long the host's own code takes to add a tenant
// (instantiate and first call, without HTTP or the control API) and to run one request through
// a guest, in a process of its own that loads components exactly as the host does. They separate
// the host's costs from the HTTP and process costs inside cold start and load. Which host: the
// runtime whose descriptor says `microHost`. How the samples read is in micro-read.ts.
import { join } from 'node:path';
import { formatNumber } from '../format.js';
import { PROJECT_ROOT } from '../paths.js';
import { driverContext, makeSample } from '../results/sample.js';
import { runtimeDescriptors } from '../runtimes/registry.js';
import { V8_WASM_FLAGS } from '../runtimes/v8-wasm-features.js';
import type { MicroOptions } from './micro-read.js';
import type { MicroInput, MicroOutput } from './micro-types.js';
import type { MeasurementRunner } from './types.js';
import { runWorkerProcess } from './worker-process.js';

const WORKER = join(PROJECT_ROOT, 'dist', 'measure', 'micro-worker.js');

export const microRunner: MeasurementRunner<MicroOptions> = {
  async run(context) {
    const hosts = new Set(
      runtimeDescriptors()
        .filter((r) => r.microHost)
        .map((r) => r.name),
    );
    const driver = context.drivers.find((d) => hosts.has(d.name));
    const component = context.artifacts.component;
    if (!driver || !component) return; // only the micro host's code is timed here
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
};

function runWorker(input: MicroInput, runId: string, signal: AbortSignal): Promise<MicroOutput> {
  // --trace-sigint, as the host runs: its per-request deadline relies on it (src/wasm-host/deadline.ts).
  return runWorkerProcess<MicroOutput>(WORKER, input, {
    what: 'the micro measurement',
    timeoutMs: input.timeMs * 20 + 60_000,
    signal,
    runId,
    nodeArgs: ['--trace-sigint', ...V8_WASM_FLAGS],
  });
}
