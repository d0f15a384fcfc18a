// The soak, short (CI): both Wasm hosts at once with a few well-behaved tenants and a faulty one
// that grows its memory past its cap, under a steady open-model load for two intervals. Every well-behaved request is answered, the
// faults are counted apart, each interval records the host's memory and fds, and the end passes.
// The hour-long run is scenarios/soak.yaml (docs/soak.md).
import { afterAll, describe, expect, it } from 'vitest';
import { soakRunner } from '../src/measure/soak.js';
import { type SoakOptions, soak } from '../src/measure/soak-read.js';
import { findMarkedProcesses } from '../src/runtimes/process-marker.js';
import type { RuntimeDriver } from '../src/runtimes/types.js';
import { artifactsFor, collectingContext, driversFor, runtimeAvailable } from './helpers.js';

const runId = `soak-test-${process.pid}`;
const hosts = [(await runtimeAvailable('wasmtime')) && 'wasmtime', (await runtimeAvailable('wasm')) && 'wasm'].filter((h): h is string => !!h);
const drivers: RuntimeDriver[] = [];
afterAll(async () => {
  await Promise.all(drivers.map((d) => d.dispose()));
});

describe.skipIf(hosts.length === 0)('a short soak on the Wasm hosts', () => {
  it('answers every well-behaved request, counts the faulty tenant apart, records each interval and passes', async () => {
    drivers.push(
      ...(await driversFor(hosts, runId, {
        wasmtime: { instanceModels: ['per-request'], requestTimeoutMs: 1000, maxMemoryMiB: 16 },
        wasm: { requestTimeoutMs: 1000, maxMemoryMiB: 16 },
      })),
    );
    const artifacts = await artifactsFor('hello-c', hosts);
    for (const driver of drivers) await driver.prepare?.(artifacts);
    const options: SoakOptions = soak.options.parse({
      durationSec: 8,
      intervalSec: 4,
      tenants: 20,
      tenantsPerRuntime: { wasm: 10 },
      ratePerSec: 25,
      faults: { tenants: 1, perInterval: 1, paths: ['/grow'] },
    });
    const { context, samples, warnings } = collectingContext(options, artifacts, drivers);
    await soakRunner.run(context);

    for (const driver of drivers) {
      const mine = samples.filter((s) => s.runtime === driver.name);
      const sum = (metric: string) => mine.filter((s) => s.metric === metric).reduce((total, s) => total + s.value, 0);
      const perInterval = (metric: string) => mine.filter((s) => s.metric === metric).map((s) => s.value);
      expect(perInterval('answered'), `${driver.name}: answered per interval`).toEqual([100, 100]);
      expect(sum('failed')).toBe(0);
      expect(sum('fault-requests')).toBe(2);
      // Each grow past the cap is one fault; one sent late in the last interval may end after its reading.
      expect(sum('faults')).toBeGreaterThanOrEqual(1);
      expect(sum('faults')).toBeLessThanOrEqual(2);
      for (const value of perInterval('host-rss')) expect(value).toBeGreaterThan(1);
      for (const value of perInterval('open-fds')) expect(value).toBeGreaterThan(2);
      // The V8 host's JS heap, read per interval (its live size needs a full collection first).
      if (driver.name === 'wasm') {
        for (const value of perInterval('host-heap-used')) expect(value).toBeGreaterThan(1);
        expect(perInterval('host-rss-outside-heap')).toHaveLength(2);
      }
      expect(mine.find((s) => s.metric === 'end')?.category).toBe('passed');
      expect(mine.find((s) => s.metric === 'end')?.tenants).toBe(driver.name === 'wasm' ? 10 : 20);
    }
    expect(warnings).toEqual([]);

    // Nothing left behind: the tenants are gone, and the hosts with the drivers.
    await Promise.all(drivers.splice(0).map((d) => d.dispose()));
    expect((await findMarkedProcesses()).filter((m) => m.runId === runId)).toEqual([]);
  }, 300_000);
});
