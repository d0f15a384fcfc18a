// Density ramps on every runtime available here: memory per tenant by every method, nothing left behind.
// (Stop conditions, on a fake driver and clock, are unit tests: test/unit/density-stop.test.ts.)

import { describe, expect, it } from 'vitest';
import { densityRunner } from '../src/measure/density.js';
import type { DensityOptions } from '../src/measure/density-read.js';
import { artifactsFor, availableRuntimeNames, collectingContext, containersOfRun, driversFor, processesOfRun } from './helpers.js';

const OPTIONS: DensityOptions = { steps: [2, 4, 8], maxTenants: 100, timeLimitSec: 60, concurrency: 2, settleMs: 0 };

describe('density on the real runtimes', async () => {
  const names = await availableRuntimeNames();
  it(`reads memory per tenant by every method (${names.join(', ')})`, async () => {
    const artifacts = await artifactsFor('hello-c', names);
    const runId = `density-test-${process.pid}`;
    const drivers = await driversFor(names, runId);
    try {
      for (const driver of drivers) await driver.prepare?.(artifacts);
      const { context, samples, ramps } = collectingContext({ ...OPTIONS, steps: [1, 3], settleMs: 100 }, artifacts, drivers);
      await densityRunner.run(context);
      expect(ramps.map((r) => `${r.runtime}:${r.reachedTenants}`)).toEqual(drivers.map((d) => `${d.name}:3`));
      const methods = (runtime: string) => new Set(samples.filter((s) => s.runtime === runtime && s.metric === 'memory-per-tenant').map((s) => s.method));
      const expected: Record<string, string[]> = {
        docker: ['cgroup', 'shim-pss', 'cgroup+shim+proxy', 'workload-pss', 'engine-pss-growth'],
        wasm: ['host-pss-growth', 'linear-memory'],
        'wasm-per-process': ['pss', 'linear-memory'],
        process: ['pss', 'rss'],
      };
      for (const name of names.filter((n) => expected[n])) expect(methods(name)).toEqual(new Set([...expected[name]!, 'host-memavailable-drop']));
      const at3 = (runtime: string, method: string) => samples.find((s) => s.runtime === runtime && s.method === method && s.tenants === 3)!.value;
      expect(at3('process', 'pss')).toBeGreaterThan(0);
      expect(at3('process', 'pss')).toBeLessThan(at3('process', 'rss'));
      if (names.includes('wasm')) expect(at3('wasm', 'linear-memory')).toBeGreaterThan(0);
      if (names.includes('docker')) {
        expect(at3('docker', 'cgroup')).toBeGreaterThan(0);
        expect(at3('docker', 'workload-pss')).toBeGreaterThan(0);
      }
    } finally {
      await Promise.all(drivers.map((d) => d.dispose()));
    }
    expect(await containersOfRun(runId)).toBe(0);
    expect(await processesOfRun(runId)).toBe(0);
  });
});
