// Cold start: from the driver's deploy call to the first 2xx with the expected body on the
// tenant's URL, with each phase timed on its own. Runtimes are interleaved in shuffled order
// every iteration; warm-ups run first and are discarded.
import { performance } from 'node:perf_hooks';
import type { ColdStartOptions } from '../scenario/schema.js';
import type { RuntimeDriver } from '../runtimes/types.js';
import type { WorkloadArtifacts } from '../workloads/artifacts.js';
import type { Sample } from '../results/types.js';
import { probeFirstResponse } from './probe.js';
import { shuffled } from './shuffle.js';

export interface ColdStartPlan {
  scenario: string;
  artifacts: WorkloadArtifacts;
  drivers: RuntimeDriver[];
  options: ColdStartOptions;
  /** Called after every measured cold start with its samples: the runner saves them at once. */
  onSamples: (samples: Sample[]) => Promise<void>;
  onProgress?: (line: string) => void;
  signal: AbortSignal;
}

export async function measureColdStarts(plan: ColdStartPlan): Promise<void> {
  const { options, artifacts } = plan;
  const total = options.warmup + options.iterations;
  for (let round = 0; round < total; round++) {
    const warmup = round < options.warmup;
    for (const driver of shuffled(plan.drivers)) {
      plan.signal.throwIfAborted();
      const tenantId = `${artifacts.workload.name}-${driver.name}-${round}`;
      const phases = await coldStartOnce(driver, artifacts, tenantId, options.timeoutMs);
      if (warmup) continue;
      const iteration = round - options.warmup;
      await plan.onSamples(phases.map(({ phase, ms }) => ({
        scenario: plan.scenario, measurement: 'coldstart', workload: artifacts.workload.name, runtime: driver.name,
        tenants: 1, iteration, phase, metric: 'duration', unit: 'ms', value: ms,
      })));
    }
    plan.onProgress?.(warmup
      ? `  ${artifacts.workload.name}: warm-up ${round + 1}/${options.warmup}`
      : `  ${artifacts.workload.name}: iteration ${round - options.warmup + 1}/${options.iterations}`);
  }
}

async function coldStartOnce(driver: RuntimeDriver, artifacts: WorkloadArtifacts, tenantId: string, timeoutMs: number) {
  const started = performance.now();
  const deployment = await driver.deploy(artifacts, tenantId);
  try {
    const probeStarted = performance.now();
    await probeFirstResponse(deployment.baseUrl, artifacts.workload.requests[0]!, timeoutMs);
    const done = performance.now();
    return [
      ...deployment.phases,
      { phase: 'first-response', ms: done - probeStarted },
      { phase: 'total', ms: done - started },
    ];
  } finally {
    await driver.teardown(deployment);
  }
}
