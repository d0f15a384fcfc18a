// Load on the real runtimes: every runtime yields throughput, latency, client and server CPU, and
// the client-bound flag; CPU isolation pins servers where it says.

import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRunner } from '../src/measure/load.js';
import { probeFirstResponse } from '../src/measure/probe.js';
import { availableDrivers } from '../src/runtimes/select.js';
import type { RuntimeDriver } from '../src/runtimes/types.js';
import { mergeLatencies } from '../src/stats/histograms.js';
import type { WorkloadArtifacts } from '../src/workloads/artifacts.js';
import { artifactsFor, availableRuntimeNames, collectingContext } from './helpers.js';

let artifacts: WorkloadArtifacts;
let drivers: RuntimeDriver[];
const names = await availableRuntimeNames();

beforeAll(async () => {
  artifacts = await artifactsFor('hello', names);
  drivers = (await availableDrivers(names, { runId: `load-test-${process.pid}`, serverCpus: '0' }, {}, () => {})).drivers;
});
afterAll(async () => {
  await Promise.all(drivers.map((d) => d.dispose()));
});

describe('the load measurement', () => {
  it(`records throughput, latency and CPU across two tenants (${names.join(', ')})`, async () => {
    const options = {
      connections: 4,
      durationSec: 1,
      warmupSec: 0,
      repetitions: 1,
      pipelining: 1,
      tenants: 2,
      request: 0,
      cpuIsolation: true,
      clientBoundCpu: 0.05,
      serverBoundCpu: 0.9,
    };
    const { context, samples, histograms } = collectingContext(options, artifacts, drivers);
    await loadRunner.run({ ...context, clientCpus: '1' });
    // Every pass keeps every response's latency: the merged count is the number of requests.
    for (const histogram of histograms) {
      const requests = samples.find((s) => s.runtime === histogram.runtime && s.variant === histogram.variant && s.metric === 'requests')!.value;
      expect(mergeLatencies([histogram.encoded])!.count).toBeGreaterThanOrEqual(requests);
    }
    expect(histograms.length).toBe(drivers.length);
    for (const runtime of names) {
      const metric = (name: string) => samples.find((s) => s.runtime === runtime && s.metric === name)?.value;
      expect(metric('throughput')).toBeGreaterThan(50);
      expect(metric('errors')).toBe(0);
      expect(metric('non-2xx')).toBe(0);
      expect(metric('server-cpu')).toBeGreaterThan(0);
      expect(metric('client-cpu')).toBeGreaterThan(0.05);
      // With a threshold this low, every pass counts as client-bound: the label follows client CPU.
      const bottlenecks = samples.filter((s) => s.runtime === runtime && s.metric === 'bottleneck');
      expect(bottlenecks.length).toBeGreaterThan(0);
      expect(bottlenecks.every((s) => s.unit === 'category' && s.category === 'client-bound')).toBe(true);
      expect(samples.find((s) => s.runtime === runtime && s.metric === 'throughput')?.model).toBe('closed');
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
