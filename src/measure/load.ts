// Throughput and latency under load: per runtime, deploy N tenants, warm up, then run measured
// passes from the load worker's own process. Each pass records req/s, latency percentiles,
// errors, bytes, the CPU of client and server, and whether the client was the bottleneck.
import type { LoadOptions } from '../scenario/schema.js';
import type { Deployment, RuntimeDriver } from '../runtimes/types.js';
import type { WorkloadArtifacts } from '../workloads/artifacts.js';
import type { Sample } from '../results/types.js';
import { probeFirstResponse } from './probe.js';
import { runLoadPass } from './load-client.js';
import type { LoadPass, LoadPassConfig } from './load-types.js';
import { shuffled } from './shuffle.js';

export interface LoadPlan {
  scenario: string;
  artifacts: WorkloadArtifacts;
  drivers: RuntimeDriver[];
  options: LoadOptions;
  /** CPUs for the load client when CPU isolation is on. */
  clientCpus?: string;
  onSamples: (samples: Sample[]) => Promise<void>;
  onProgress?: (line: string) => void;
  signal: AbortSignal;
}

export async function measureLoad(plan: LoadPlan): Promise<void> {
  const { artifacts, options } = plan;
  const request = artifacts.workload.requests[options.request];
  if (!request) throw new Error(`load.request ${options.request}: workload ${artifacts.workload.name} declares only ${artifacts.workload.requests.length} requests`);
  for (const driver of shuffled(plan.drivers)) {
    plan.signal.throwIfAborted();
    const deployments: Deployment[] = [];
    try {
      for (let i = 0; i < options.tenants; i++) {
        const deployment = await driver.deploy(artifacts, `${artifacts.workload.name}-${driver.name}-load-${i}`);
        deployments.push(deployment);
        await probeFirstResponse(deployment.baseUrl, request, 15000);
      }
      const config: LoadPassConfig = {
        urls: deployments.map((d) => d.baseUrl + request.path), method: request.method, body: request.body,
        connections: options.connections, pipelining: options.pipelining, durationSec: options.durationSec,
        timeoutMs: 10000, ratePerSec: options.ratePerSec,
      };
      if (options.warmupSec > 0) await runLoadPass({ ...config, durationSec: options.warmupSec }, plan.clientCpus);
      for (let repetition = 0; repetition < options.repetitions; repetition++) {
        plan.signal.throwIfAborted();
        const serverBefore = await driver.cpuSeconds?.(deployments);
        const pass = await runLoadPass(config, plan.clientCpus);
        const serverAfter = await driver.cpuSeconds?.(deployments);
        const serverCores = serverBefore === undefined || serverAfter === undefined ? undefined : (serverAfter - serverBefore) / pass.durationSec;
        await plan.onSamples(passSamples(plan, driver.name, repetition, pass, serverCores));
        plan.onProgress?.(`  ${artifacts.workload.name} on ${driver.name}: ${pass.requestsPerSec.toFixed(0)} req/s, p99 ${pass.latencyMs.p99.toFixed(1)} ms (pass ${repetition + 1}/${options.repetitions})`);
      }
    } finally {
      for (const deployment of deployments) await driver.teardown(deployment);
    }
  }
}

function passSamples(plan: LoadPlan, runtime: string, iteration: number, pass: LoadPass, serverCores: number | undefined): Sample[] {
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
    ['client-bound', 'flag', clientCores >= plan.options.clientBoundCpu ? 1 : 0],
  ];
  if (serverCores !== undefined) values.push(['server-cpu', 'cores', serverCores]);
  if (pass.clientLagMs !== undefined) values.push(['client-lag', 'ms', pass.clientLagMs]);
  return values.map(([metric, unit, value]) => ({
    scenario: plan.scenario, measurement: 'load', workload: plan.artifacts.workload.name, runtime,
    tenants: plan.options.tenants, iteration, phase: pass.model, metric, unit, value,
  }));
}
