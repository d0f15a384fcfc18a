// Load on the real runtimes: every runtime yields throughput, latency, client and server CPU, and
// the client-bound flag; CPU isolation pins servers where it says.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { RUNTIME_NAMES, DEFAULT_RUNTIME_SETTINGS } from '../src/scenario/schema.js';
import { createDriver } from '../src/runtimes/index.js';
import type { RuntimeDriver } from '../src/runtimes/types.js';
import { loadWorkload } from '../src/workloads/catalog.js';
import { buildWorkload } from '../src/workloads/build.js';
import type { WorkloadArtifacts } from '../src/workloads/artifacts.js';
import { measureLoad } from '../src/measure/load.js';
import { probeFirstResponse } from '../src/measure/probe.js';
import type { Sample } from '../src/results/types.js';

let artifacts: WorkloadArtifacts;
let drivers: RuntimeDriver[];

beforeAll(async () => {
  artifacts = await buildWorkload(await loadWorkload('hello'), [...RUNTIME_NAMES]);
  drivers = RUNTIME_NAMES.map((name) => createDriver(name, { runId: `load-test-${process.pid}`, serverCpus: '0' }, DEFAULT_RUNTIME_SETTINGS));
});
afterAll(async () => {
  await Promise.all(drivers.map((d) => d.dispose()));
});

describe('measureLoad', () => {
  it('records throughput, latency and CPU for docker, wasm and process across two tenants', async () => {
    const samples: Sample[] = [];
    await measureLoad({
      scenario: 't', artifacts, drivers, clientCpus: '1', signal: new AbortController().signal,
      options: { connections: 4, durationSec: 1, warmupSec: 0, repetitions: 1, pipelining: 1, tenants: 2, request: 0, cpuIsolation: true, clientBoundCpu: 0.05 },
      onSamples: async (s) => void samples.push(...s),
    });
    for (const runtime of RUNTIME_NAMES) {
      const metric = (name: string) => samples.find((s) => s.runtime === runtime && s.metric === name)?.value;
      expect(metric('throughput')).toBeGreaterThan(50);
      expect(metric('errors')).toBe(0);
      expect(metric('non-2xx')).toBe(0);
      expect(metric('server-cpu')).toBeGreaterThan(0);
      expect(metric('client-cpu')).toBeGreaterThan(0.05);
      // With a threshold this low, every pass counts as client-bound: the flag follows client CPU.
      expect(metric('client-bound')).toBe(1);
      expect(samples.find((s) => s.runtime === runtime)?.tenants).toBe(2);
    }
  });

  it('pins servers to the CPUs of the run context', async () => {
    const process = drivers.find((d) => d.name === 'process')!;
    const deployment = await process.deploy(artifacts, 'pinned');
    try {
      await probeFirstResponse(deployment.baseUrl, artifacts.workload.requests[0]!, 15000); // taskset has exec'd node
      const pid = (deployment as unknown as { child: { pid: number } }).child.pid;
      const status = await readFile(`/proc/${pid}/status`, 'utf8');
      expect(status).toMatch(/^Cpus_allowed_list:\s+0$/m);
    } finally {
      await process.teardown(deployment);
    }
  });
});
