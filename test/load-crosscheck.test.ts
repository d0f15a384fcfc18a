// Load with wrk's cross-check, µs latencies and the server's CPU, on real tenants: json-c (a routed
// JSON API in C, answering well under a millisecond) as processes, loaded by autocannon and wrk.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRunner } from '../src/measure/load.js';
import { ANSWERS_THAT_MUST_COST_CPU, serverCpuOverPass } from '../src/measure/load-server-cpu.js';
import { untilAnswering } from '../src/measure/probe-tenant.js';
import { runWrkPass } from '../src/measure/wrk.js';
import type { RuntimeDriver } from '../src/runtimes/types.js';
import { mergeLatencies } from '../src/stats/histograms.js';
import type { WorkloadArtifacts } from '../src/workloads/artifacts.js';
import { artifactsFor, collectingContext, driversFor } from './helpers.js';

const options = {
  connections: 4,
  durationSec: 1,
  warmupSec: 0,
  repetitions: 2,
  pipelining: 1,
  tenants: 2,
  request: 0,
  cpuIsolation: false,
  clientBoundCpu: 0.9,
  serverBoundCpu: 0.9,
};

let artifacts: WorkloadArtifacts;
let process: RuntimeDriver;
beforeAll(async () => {
  artifacts = await artifactsFor('json-c', ['process']);
  process = (await driversFor(['process'], `load-crosscheck-${globalThis.process.pid}`))[0]!;
});
afterAll(async () => {
  await process?.dispose();
});

describe('server CPU over a pass', () => {
  it('is a figure when the counter moved, and an impossible reading (not a figure) when a busy server used none', () => {
    const many = ANSWERS_THAT_MUST_COST_CPU;
    expect(serverCpuOverPass(1, 1.5, 2, many)).toEqual({ cores: 0.25 });
    expect(serverCpuOverPass(3, 3, 2, many)).toEqual({ impossible: expect.stringContaining(`answered ${many} requests`) });
    expect(serverCpuOverPass(3, 2, 2, 10)).toHaveProperty('impossible'); // a counter never goes back
    // a light pass can stay within one 10 ms tick of a process counter: a true reading, rounded down
    expect(serverCpuOverPass(3, 3, 2, 50)).toEqual({ cores: 0 });
    expect(serverCpuOverPass(undefined, 3, 2, many)).toBeUndefined();
  });
});

describe('the load measurement on json-c processes', () => {
  it("records wrk's figures beside autocannon's on every pass, and latencies below a millisecond as such", async () => {
    const { context, samples, histograms, warnings } = collectingContext({ ...options, crossCheck: 'wrk' as const }, artifacts, [process]);
    await loadRunner.run(context);
    const values = (metric: string) => samples.filter((s) => s.metric === metric).map((s) => s.value);
    expect(values('throughput')).toHaveLength(2);
    expect(values('wrk-throughput')).toHaveLength(2);
    for (const rps of values('wrk-throughput')) expect(rps).toBeGreaterThan(50);
    for (const p99 of values('wrk-latency-p99')) expect(p99).toBeGreaterThan(0);
    expect(values('wrk-errors')).toEqual([0, 0]);
    expect(values('wrk-non-2xx')).toEqual([0, 0]);
    // µs resolution: every percentile is a real time, never autocannon's whole-millisecond zero,
    // and agrees with the pass's histogram.
    for (const metric of ['latency-p50', 'latency-p90', 'latency-p99']) for (const value of values(metric)) expect(value).toBeGreaterThan(0);
    const [first] = histograms;
    const merged = mergeLatencies([first!.encoded])!;
    expect(values('latency-p99')[0]).toBeCloseTo(merged.p99, 6);
    expect(values('server-cpu').every((v) => v > 0)).toBe(true);
    expect(warnings).toEqual([]);
  });

  it('records an impossible server CPU reading as a warning, never as a figure, and judges the bottleneck without it', async () => {
    let counter = 42;
    const stuck: RuntimeDriver = { ...process, cpuSeconds: async () => counter-- }; // a counter that goes back
    const { context, samples, warnings } = collectingContext({ ...options, repetitions: 1, tenants: 1, serverBoundCpu: 0.1 }, artifacts, [stuck]);
    await loadRunner.run(context);
    expect(samples.some((s) => s.metric === 'server-cpu')).toBe(false);
    expect(samples.find((s) => s.metric === 'bottleneck')?.category).not.toBe('server-bound'); // never judged from a reading that cannot be right
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ kind: 'impossible-reading', runtime: 'process', workload: 'json-c' });
    expect(warnings[0]!.message).toMatch(/server CPU not recorded \(its CPU counter moved -1 s over a pass that answered \d+ requests\)/);
  });

  it('wrk: requests of several tenants add up and their latencies merge into one histogram', async () => {
    const deployments = [await process.deploy(artifacts, 'wrk-a'), await process.deploy(artifacts, 'wrk-b')];
    try {
      const request = artifacts.workload.requests[0]!;
      for (const d of deployments) await untilAnswering(d, request, 15000);
      const pass = await runWrkPass({ urls: deployments.map((d) => d.baseUrl + request.path), method: 'GET', connections: 4, durationSec: 1, timeoutMs: 5000 });
      expect(pass.requests).toBeGreaterThan(50);
      expect(pass.errors + pass.non2xx).toBe(0);
      // wrk corrects for coordinated omission: its distribution holds at least every request.
      expect(mergeLatencies([pass.latencyHistogram!])!.count).toBeGreaterThanOrEqual(pass.requests);
      expect(pass.latencyMs.p50).toBeGreaterThan(0);
      expect(pass.latencyMs.p50).toBeLessThanOrEqual(pass.latencyMs.p99);
    } finally {
      for (const d of deployments) await process.teardown(d);
    }
  });

  it('wrk: sends the declared method and body (POST /orders answers its total)', async () => {
    const deployment = await process.deploy(artifacts, 'wrk-post');
    try {
      const order = artifacts.workload.requests.find((r) => r.method === 'POST')!;
      await untilAnswering(deployment, order, 15000);
      const pass = await runWrkPass({
        urls: [deployment.baseUrl + order.path],
        method: 'POST',
        body: order.body,
        connections: 2,
        durationSec: 1,
        timeoutMs: 5000,
      });
      expect(pass.non2xx).toBe(0); // a GET or an empty body would be answered 404 or 400
      expect(pass.bytes / pass.requests).toBeGreaterThan(order.expect.body.length);
    } finally {
      await process.teardown(deployment);
    }
  });

  it('refuses loopback-less URLs', async () => {
    await expect(runWrkPass({ urls: ['http://10.0.0.1:80/'], method: 'GET', connections: 1, durationSec: 1, timeoutMs: 1000 })).rejects.toThrow();
  });
});
