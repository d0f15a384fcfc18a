// Hops, measured (see hops-read.ts): per runtime one tenant of the pipeline, then rounds of
// requests one at a time on one kept-alive connection, alternating the whole pipeline's request
// with the front-alone one. Every answer is checked against the declared one.
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { median } from 'simple-statistics';
import { assertLoopback } from '../http-client.js';
import { runtimeLabel } from '../results/identity.js';
import { driverContext, makeSample, tenantIdFor } from '../results/sample.js';
import { timeoutScale } from '../runtimes/platform.js';
import { runtimeDescriptor } from '../runtimes/registry.js';
import type { WorkloadRequest } from '../workloads/catalog.js';
import { PIPELINE_HOPS } from '../workloads/pipeline-sources.js';
import { FRONT_PHASE, HOP_COST, HOP_COUNT, HOPS_MEASUREMENT, PIPELINE_PHASE, ROUND_LATENCY, type StageDeployment } from './hops-figures.js';
import type { HopsOptions } from './hops-read.js';
import { untilAnswering } from './probe-tenant.js';
import type { MeasurementRunner } from './types.js';

export const hopsRunner: MeasurementRunner<HopsOptions> = {
  async run(context) {
    const { artifacts, options } = context;
    if (artifacts.workload.language !== 'pipeline') return; // a single stage has no hop
    const pipeline = artifacts.workload.requests[options.pipelineRequest]!;
    const front = artifacts.workload.requests[options.frontRequest]!;
    for (const driver of context.drivers) {
      context.signal.throwIfAborted();
      const sampleContext = driverContext(context.scenario, artifacts.workload.name, driver);
      const descriptor = runtimeDescriptor(driver.name);
      const stages: StageDeployment = descriptor.stageServices ? 'services' : descriptor.family === 'wasm' ? 'composed' : 'linked';
      const deployment = await driver.deploy(artifacts, tenantIdFor(artifacts.workload.name, driver, 'hops'));
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      try {
        await untilAnswering(deployment, pipeline, options.timeoutMs * timeoutScale(driver.platform), context.signal);
        const send = (r: WorkloadRequest) => timedRequest(agent, deployment.baseUrl, r, options.timeoutMs, context.signal);
        for (let i = 0; i < options.warmup; i++) {
          await send(pipeline);
          await send(front);
        }
        const hopCosts: number[] = [];
        for (let round = 0; round < options.rounds; round++) {
          const times = { pipeline: [] as number[], front: [] as number[] };
          for (let i = 0; i < options.requestsPerRound; i++) {
            // Alternating which goes first, so neither always follows the other.
            const order = i % 2 === 0 ? (['pipeline', 'front'] as const) : (['front', 'pipeline'] as const);
            for (const kind of order) times[kind].push(await send(kind === 'pipeline' ? pipeline : front));
          }
          const pipelineMs = median(times.pipeline);
          const frontMs = median(times.front);
          const hopMs = (pipelineMs - frontMs) / PIPELINE_HOPS;
          hopCosts.push(hopMs);
          const sample = (metric: string, phase: string | undefined, value: number, unit = 'ms') =>
            makeSample(sampleContext, { measurement: HOPS_MEASUREMENT, tenants: 1, iteration: round, phase, metric, unit, value, method: stages });
          await context.onSamples([
            sample(ROUND_LATENCY, PIPELINE_PHASE, pipelineMs),
            sample(ROUND_LATENCY, FRONT_PHASE, frontMs),
            sample(HOP_COST, undefined, hopMs),
            ...(round === 0 ? [sample(HOP_COUNT, undefined, PIPELINE_HOPS, 'count')] : []),
          ]);
        }
        context.onProgress(`  ${runtimeLabel(sampleContext)} (${stages}): one hop ${median(hopCosts).toFixed(3)} ms (median of ${hopCosts.length} rounds)`);
      } finally {
        agent.destroy();
        await driver.teardown(deployment);
      }
    }
  },
};

/** One request on the kept-alive connection: its latency in ms, after checking the answer is the declared one. */
function timedRequest(agent: Agent, baseUrl: string, r: WorkloadRequest, timeoutMs: number, signal: AbortSignal): Promise<number> {
  const url = new URL(baseUrl + r.path);
  assertLoopback(url);
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = request(url, { method: r.method, headers: r.headers, agent, timeout: timeoutMs, signal }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const elapsed = performance.now() - started;
        const body = Buffer.concat(chunks).toString('utf8');
        if (res.statusCode !== r.expect.status || body !== r.expect.body)
          reject(new Error(`${r.method} ${r.path}: answered ${res.statusCode} ${JSON.stringify(body.slice(0, 200))}, expected ${r.expect.status}`));
        else resolve(elapsed);
      });
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer from ${url} within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(r.body);
  });
}
