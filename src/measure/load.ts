// Load, measured: per runtime, deploy N tenants, warm up, then run measured passes from the load
// worker's own process. Each pass records req/s, latency percentiles, errors, bytes, the CPU of
// client and server, and what limited it (client, server or neither). How it reads: load-read.ts.
import { formatNumber } from '../format.js';
import { runtimeLabel } from '../results/identity.js';
import { driverContext, makeSample, runtimeIdentity, tenantIdFor } from '../results/sample.js';
import { CATEGORY_UNIT, type Sample } from '../results/types.js';
import { timeoutScale } from '../runtimes/platform.js';
import type { Deployment, RuntimeDriver } from '../runtimes/types.js';
import { runLoadPass } from './load-client.js';
import { checkCrossCheck, withCrossCheck, wrkValues } from './load-crosscheck.js';
import { bottleneck, type LoadOptions, requestIndex } from './load-read.js';
import { serverCpuOverPass } from './load-server-cpu.js';
import type { LoadPass, LoadPassConfig } from './load-types.js';
import { untilAnswering } from './probe-tenant.js';
import { shuffled } from './shuffle.js';
import type { MeasureContext, MeasurementRunner } from './types.js';
import type { WrkPass } from './wrk.js';

export const loadRunner: MeasurementRunner<LoadOptions> = {
  async run(context) {
    const { artifacts, options } = context;
    const request = artifacts.workload.requests[requestIndex(options, artifacts.workload.name)];
    if (!request) throw new Error(`load.request: workload ${artifacts.workload.name} has no request ${requestIndex(options, artifacts.workload.name)}`);
    await checkCrossCheck(options.crossCheck);
    for (const driver of shuffled(context.drivers)) {
      context.signal.throwIfAborted();
      const deployments: Deployment[] = [];
      try {
        for (let i = 0; i < options.tenants; i++) {
          const deployment = await driver.deploy(artifacts, tenantIdFor(artifacts.workload.name, driver, `load-${i}`));
          deployments.push(deployment);
          await untilAnswering(deployment, request, 15000 * timeoutScale(driver.platform), context.signal);
        }
        const config: LoadPassConfig = {
          urls: deployments.map((d) => d.baseUrl + request.path),
          method: request.method,
          body: request.body,
          headers: request.headers,
          connections: options.connections,
          pipelining: options.pipelining,
          durationSec: options.durationSec,
          timeoutMs: 10000,
          ratePerSec: options.ratePerSec,
        };
        const worker = { cpus: context.clientCpus, signal: context.signal, runId: context.runId };
        if (options.warmupSec > 0) await runLoadPass({ ...config, durationSec: options.warmupSec }, worker);
        for (let repetition = 0; repetition < options.repetitions; repetition++) {
          context.signal.throwIfAborted();
          const measured = await withCrossCheck(options.crossCheck, repetition, config, worker, async () => {
            const before = await driver.cpuSeconds?.(deployments);
            const pass = await runLoadPass(config, worker);
            return { pass, server: serverCpuOverPass(before, await driver.cpuSeconds?.(deployments), pass.durationSec, pass.requests) };
          });
          const { pass, server } = measured.pass;
          if (server && 'impossible' in server) {
            await context.onWarning({
              kind: 'impossible-reading',
              workload: artifacts.workload.name,
              ...runtimeIdentity(driver),
              message: `${artifacts.workload.name} load on ${runtimeLabel(runtimeIdentity(driver))}, pass ${repetition + 1}: server CPU not recorded (${server.impossible}); the bottleneck is judged from the client alone`,
            });
          }
          const serverCores = server && 'cores' in server ? server.cores : undefined;
          await context.onSamples(passSamples(context, driver, repetition, pass, serverCores, measured.wrk));
          if (pass.latencyHistogram) {
            await context.onHistogram({
              workload: artifacts.workload.name,
              ...runtimeIdentity(driver),
              tenants: options.tenants,
              model: pass.model,
              iteration: repetition,
              encoded: pass.latencyHistogram,
            });
          }
          context.onProgress(
            `  ${artifacts.workload.name} on ${runtimeLabel(runtimeIdentity(driver))}: ${formatNumber(pass.requestsPerSec)} req/s, p99 ${formatNumber(pass.latencyMs.p99)} ms (pass ${repetition + 1}/${options.repetitions})`,
          );
        }
      } finally {
        for (const deployment of deployments) await driver.teardown(deployment);
      }
    }
  },
};

function passSamples(
  context: MeasureContext<LoadOptions>,
  driver: RuntimeDriver,
  iteration: number,
  pass: LoadPass,
  serverCores: number | undefined,
  wrk: WrkPass | undefined,
) {
  const clientCores = pass.clientCpuSec / pass.durationSec;
  const values: [string, string, number][] = [
    ['throughput', 'req/s', pass.requestsPerSec],
    ['latency-p50', 'ms', pass.latencyMs.p50],
    ['latency-p90', 'ms', pass.latencyMs.p90],
    ['latency-p99', 'ms', pass.latencyMs.p99],
    ['latency-p99.9', 'ms', pass.latencyMs['p99.9']],
    ['latency-max', 'ms', pass.latencyMs.max],
    ['requests', 'count', pass.requests],
    ['errors', 'count', pass.errors],
    ['timeouts', 'count', pass.timeouts],
    ['non-2xx', 'count', pass.non2xx],
    ['bytes', 'bytes', pass.bytes],
    ['client-cpu', 'cores', clientCores],
  ];
  if (serverCores !== undefined) values.push(['server-cpu', 'cores', serverCores]);
  if (pass.clientLagMs !== undefined) values.push(['client-lag', 'ms', pass.clientLagMs]);
  if (wrk) values.push(...wrkValues(wrk));
  const sampleContext = driverContext(context.scenario, context.artifacts.workload.name, driver);
  const passSample = (fields: Pick<Sample, 'metric' | 'unit' | 'value' | 'category'>) =>
    makeSample(sampleContext, { measurement: 'load', tenants: context.options.tenants, iteration, model: pass.model, ...fields });
  return [
    // A pass that completed no request has no latencies (the client gives null): no sample, not an invalid one.
    ...values.filter(([, , value]) => Number.isFinite(value)).map(([metric, unit, value]) => passSample({ metric, unit, value })),
    // What limited the pass is a category: one observation of it.
    passSample({ metric: 'bottleneck', unit: CATEGORY_UNIT, value: 1, category: bottleneck(clientCores, serverCores, context.options) }),
  ];
}
