// Density ramps: stop conditions with fake drivers, and real ramps on every runtime.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Server } from 'node:http';
import { measureDensity, type DensityPlan } from '../src/measure/density.js';
import type { Deployment, RuntimeDriver } from '../src/runtimes/types.js';
import type { DensityRamp, Sample } from '../src/results/types.js';
import { RUNTIME_NAMES, DEFAULT_RUNTIME_SETTINGS, type DensityOptions } from '../src/scenario/schema.js';
import { createDriver } from '../src/runtimes/index.js';
import { loadWorkload } from '../src/workloads/catalog.js';
import { buildWorkload } from '../src/workloads/build.js';
import { containersOfRun, processesOfRun, HI_ARTIFACTS, startHiServer } from './helpers.js';

let server: Server;
let baseUrl: string;
beforeAll(async () => {
  ({ server, baseUrl } = await startHiServer());
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const fakeArtifacts = HI_ARTIFACTS;

const OPTIONS: DensityOptions = { steps: [2, 4, 8], maxTenants: 100, timeLimitSec: 60, concurrency: 2, settleMs: 0 };

function fakeDriver(failAt: number, live: Set<string>): RuntimeDriver {
  let deployed = 0;
  return {
    name: 'process',
    available: async () => ({ available: true }),
    deploy: async (_a, tenantId): Promise<Deployment> => {
      if (++deployed === failAt) throw new Error('out of ports');
      live.add(tenantId);
      return { runtime: 'process', tenantId, baseUrl, phases: [] };
    },
    teardown: async (d) => void live.delete(d.tenantId),
    memory: async (ds) => [{ method: 'pss', bytes: ds.length * 2 * 1024 * 1024 }],
    dispose: async () => {},
  };
}

async function ramp(driver: RuntimeDriver, options: DensityOptions, artifacts = fakeArtifacts, drivers = [driver]) {
  const samples: Sample[] = [];
  const ramps: DensityRamp[] = [];
  const plan: DensityPlan = {
    scenario: 's', artifacts, drivers, options, signal: new AbortController().signal,
    onSamples: async (s) => void samples.push(...s), onRamp: async (r) => void ramps.push(r),
  };
  await measureDensity(plan);
  return { samples, ramps };
}

describe('density stop conditions', () => {
  it('ramps through every step and tears every tenant down', async () => {
    const live = new Set<string>();
    const { samples, ramps } = await ramp(fakeDriver(0, live), OPTIONS);
    expect(ramps).toEqual([expect.objectContaining({ reachedTenants: 8, stopReason: 'reached the last step (8 tenants)' })]);
    expect(live.size).toBe(0);
    const pss = samples.filter((s) => s.phase === 'pss');
    expect(pss.map((s) => s.tenants)).toEqual([2, 4, 8]);
    expect(pss.every((s) => s.value === 2)).toBe(true); // 2 MiB per tenant at every step
    expect(samples.some((s) => s.phase === 'host-memavailable-drop')).toBe(true);
    expect(samples.filter((s) => s.metric === 'sweep-latency-p99')).toHaveLength(3);
  });

  it('stops at the first failed deploy and says so', async () => {
    const live = new Set<string>();
    const { ramps } = await ramp(fakeDriver(4, live), { ...OPTIONS, concurrency: 1 });
    expect(ramps[0]!.reachedTenants).toBe(3);
    expect(ramps[0]!.stopReason).toBe('first failure at 4 tenants: out of ports');
    expect(live.size).toBe(0);
  });

  it('stops at the tenant cap of its runtime', async () => {
    const { ramps } = await ramp(fakeDriver(0, new Set()), { ...OPTIONS, maxTenantsPerRuntime: { process: 3 } });
    expect(ramps[0]).toMatchObject({ reachedTenants: 3, stopReason: 'reached the tenant cap (3)' });
  });

  it('stops at the time limit', async () => {
    const { ramps } = await ramp(fakeDriver(0, new Set()), { ...OPTIONS, timeLimitSec: 0.001 });
    expect(ramps[0]!.stopReason).toMatch(/^time limit \(0.001 s\) at \d+ tenants$/);
  });
});

describe('density on the real runtimes', () => {
  it('reads memory per tenant by every method for docker, wasm, wasm-per-process and process', async () => {
    const artifacts = await buildWorkload(await loadWorkload('hello-c'), [...RUNTIME_NAMES]);
    const runId = `density-test-${process.pid}`;
    const drivers = RUNTIME_NAMES.map((name) => createDriver(name, { runId }, DEFAULT_RUNTIME_SETTINGS));
    try {
      for (const driver of drivers) await driver.prepare?.(artifacts);
      const { samples, ramps } = await ramp(drivers[0]!, { ...OPTIONS, steps: [1, 3], settleMs: 100 }, artifacts, drivers);
      expect(ramps.map((r) => `${r.runtime}:${r.reachedTenants}`)).toEqual(['docker:3', 'wasm:3', 'wasm-per-process:3', 'process:3']);
      const methods = (runtime: string) => new Set(samples.filter((s) => s.runtime === runtime && s.metric === 'memory-per-tenant').map((s) => s.phase));
      expect(methods('docker')).toEqual(new Set(['cgroup', 'shim-pss', 'cgroup+shim+proxy', 'workload-pss', 'host-memavailable-drop']));
      expect(methods('wasm')).toEqual(new Set(['host-pss-growth', 'linear-memory', 'host-memavailable-drop']));
      expect(methods('wasm-per-process')).toEqual(new Set(['pss', 'linear-memory', 'host-memavailable-drop']));
      expect(methods('process')).toEqual(new Set(['pss', 'rss', 'host-memavailable-drop']));
      const at3 = (runtime: string, method: string) => samples.find((s) => s.runtime === runtime && s.phase === method && s.tenants === 3)!.value;
      expect(at3('process', 'pss')).toBeGreaterThan(0);
      expect(at3('process', 'pss')).toBeLessThan(at3('process', 'rss'));
      expect(at3('wasm', 'linear-memory')).toBeGreaterThan(0);
      expect(at3('docker', 'cgroup')).toBeGreaterThan(0);
      expect(at3('docker', 'workload-pss')).toBeGreaterThan(0);
    } finally {
      await Promise.all(drivers.map((d) => d.dispose()));
    }
    expect(await containersOfRun(runId)).toBe(0);
    expect(await processesOfRun(runId)).toBe(0);
  });
});
