// Density ramps: stop conditions with a fake driver, a fake clock and fake host readers, and which
// limit a failed ramp ran into. (Real ramps: test/density-real-runtimes.test.ts.)

import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RampEnvironment, rampOnce } from '../../src/measure/density.js';
import { whichLimit } from '../../src/measure/density-limits.js';
import { type DensityOptions, describeStop } from '../../src/measure/density-read.js';
import type { Deployment, RuntimeDriver } from '../../src/runtimes/types.js';
import type { HostReaders } from '../../src/sys/host.js';
import { collectingContext, HI_ARTIFACTS, startHiServer } from '../basics.js';

let server: Server;
let baseUrl: string;
beforeAll(async () => {
  ({ server, baseUrl } = await startHiServer());
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const OPTIONS: DensityOptions = { steps: [2, 4, 8], maxTenants: 100, timeLimitSec: 60, concurrency: 2, settleMs: 0 };
const MiB = 1024 * 1024;

function fakeDriver(failAt: number, live: Set<string>, memory?: () => Promise<number>): RuntimeDriver {
  let deployed = 0;
  return {
    name: 'process',
    deploy: async (_a, tenantId): Promise<Deployment> => {
      if (++deployed === failAt) throw new Error('out of ports');
      live.add(tenantId);
      return { runtime: 'process', tenantId, baseUrl, phases: [] };
    },
    teardown: async (d) => void live.delete(d.tenantId),
    memory: async (ds) => [{ method: 'pss', bytes: memory ? await memory() : ds.length * 2 * MiB }],
    dispose: async () => {},
  };
}

/** A host whose MemAvailable drops 3 MiB per reading and whose CPU is always busy: readings tests can predict. */
function fakeEnvironment(): RampEnvironment & { clock: { ms: number } } {
  const clock = { ms: 0 };
  let available = 10_000 * MiB;
  const host: HostReaders = {
    memAvailableBytes: async () => {
      available -= 3 * MiB;
      return available + 3 * MiB;
    },
    memTotalBytes: async () => 20_000 * MiB,
    busyCpuSeconds: async () => clock.ms / 1000,
  };
  return {
    host,
    clock,
    now: () => clock.ms,
    sleep: async (ms) => {
      clock.ms += ms;
    },
    teardownTimeoutMs: 200,
  };
}

async function ramp(driver: RuntimeDriver, options: DensityOptions, environment = fakeEnvironment()) {
  const { context, samples, ramps } = collectingContext(options, HI_ARTIFACTS, [driver]);
  await rampOnce(context, driver, environment);
  return { samples, ramps };
}

describe('density stop conditions', () => {
  it('ramps through every step and tears every tenant down', async () => {
    const live = new Set<string>();
    const { samples, ramps } = await ramp(fakeDriver(0, live), OPTIONS);
    expect(ramps).toEqual([expect.objectContaining({ reachedTenants: 8, stop: { kind: 'last-step', tenants: 8 } })]);
    expect(describeStop(ramps[0]!.stop)).toBe('reached the last step (8 tenants)');
    expect(live.size).toBe(0);
    const pss = samples.filter((s) => s.method === 'pss');
    expect(pss.map((s) => s.tenants)).toEqual([2, 4, 8]);
    expect(pss.every((s) => s.value === 2)).toBe(true); // 2 MiB per tenant at every step
    expect(samples.some((s) => s.method === 'host-memavailable-drop')).toBe(true);
    expect(samples.filter((s) => s.metric === 'sweep-latency-p99')).toHaveLength(3);
    // The idle second is the injected clock's: a fake host that is always busy reads 1 core.
    expect(samples.filter((s) => s.metric === 'host-busy-cpu').map((s) => s.value)).toEqual([1, 1, 1]);
  });

  it('saves the ramp before its teardown, and stops waiting for a teardown that hangs', async () => {
    const live = new Set<string>();
    const driver = fakeDriver(0, live);
    driver.teardown = (d) => (d.tenantId.endsWith('d3') ? new Promise(() => {}) : Promise.resolve(void live.delete(d.tenantId)));
    const { ramps } = await ramp(driver, { ...OPTIONS, concurrency: 1 });
    expect(ramps).toHaveLength(1);
    expect(ramps[0]!.stop).toEqual({ kind: 'last-step', tenants: 8 });
    expect(ramps[0]!.teardownLeft).toEqual({ tenants: 5, error: "a tenant's teardown took longer than 0.2 s" });
  });

  it('stops at the first failed deploy and says so', async () => {
    const live = new Set<string>();
    const { ramps } = await ramp(fakeDriver(4, live), { ...OPTIONS, concurrency: 1 });
    expect(ramps[0]!.reachedTenants).toBe(3);
    expect(ramps[0]!.stop).toEqual({ kind: 'failure', tenants: 3, during: 'deploy', error: 'out of ports' });
    expect(describeStop(ramps[0]!.stop)).toBe('first failure at 4 tenants (deploy): out of ports');
    expect(live.size).toBe(0);
  });

  it('records a failed memory reading as the stop, keeping the steps measured before it', async () => {
    let reads = 0;
    const failingMemory = async () => {
      if (++reads === 3) throw new Error('smaps_rollup vanished'); // the zero-tenant baseline, step 2, then step 4
      return 0;
    };
    const { samples, ramps } = await ramp(fakeDriver(0, new Set(), failingMemory), OPTIONS);
    expect(ramps[0]!.stop).toMatchObject({ kind: 'failure', during: 'step-reading', error: 'smaps_rollup vanished', tenants: 4 });
    expect(samples.filter((s) => s.method === 'pss').map((s) => s.tenants)).toEqual([2]);
  });

  it('stops at the tenant cap of its runtime', async () => {
    const { ramps } = await ramp(fakeDriver(0, new Set()), { ...OPTIONS, maxTenantsPerRuntime: { process: 3 } });
    expect(ramps[0]).toMatchObject({ reachedTenants: 3, stop: { kind: 'tenant-cap', tenants: 3 } });
  });

  it('stops at the time limit of the injected clock', async () => {
    // settleMs advances the fake clock by 2 s per step: a 3 s limit ends the ramp after the second step.
    const { ramps } = await ramp(fakeDriver(0, new Set()), { ...OPTIONS, settleMs: 2000, timeLimitSec: 3 });
    expect(ramps[0]!.stop).toEqual({ kind: 'time-limit', tenants: 4, limitSec: 3 });
  });

  it('stops at the memory budget from the injected host readers', async () => {
    const { ramps } = await ramp(fakeDriver(0, new Set()), { ...OPTIONS, memoryBudgetMiB: 10 });
    expect(ramps[0]!.stop.kind).toBe('memory-budget');
    expect(ramps[0]!.reachedTenants).toBeLessThan(8);
  });
});
describe('which limit a failed ramp ran into', () => {
  const limits = { pidMax: 32768, threadsMax: 193102, threads: 32700, openFilesLimit: 20000, tenantPorts: 12000, memAvailableMiB: 9000 };
  it('tells the limit from the failure and the host limits read when the ramp ended', () => {
    expect(whichLimit('Error: fork/exec /usr/bin/runc: resource temporarily unavailable', limits)).toBe('pids');
    expect(whichLimit('(HTTP code 500) server error - OCI runtime create failed: runc create failed', limits)).toBe('pids');
    expect(whichLimit('(HTTP code 500) server error - OCI runtime create failed: runc create failed', { ...limits, threads: 900 })).toBe('engine');
    expect(whichLimit('spawn EMFILE', { ...limits, threads: 900 })).toBe('open-files');
    expect(whichLimit('no free port between 20000 and 32000 on 127.0.0.1', { ...limits, threads: 900 })).toBe('ports');
    expect(whichLimit('a request timed out', { ...limits, threads: 900 })).toBeUndefined();
  });

  it('names the limit with the host value and how to raise it', () => {
    const stop = { kind: 'failure', tenants: 2400, during: 'deploy', error: 'fork: resource temporarily unavailable', limit: 'pids' } as const;
    expect(describeStop(stop, limits)).toBe(
      "first failure at 2401 tenants (deploy): fork: resource temporarily unavailable; the limit hit: the kernel's pid limit (pid_max 32,768, 32,700 threads running; raise with sysctl -w kernel.pid_max=4194304)",
    );
  });
});
