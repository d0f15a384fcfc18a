// A memory method a driver cannot read here (root's processes, read by another user) is recorded
// as a reading-skipped warning with its reason, once per method and ramp, and never as a sample:
// no zero, no NaN, no failure; the methods it can read are recorded as usual.
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RampEnvironment, rampOnce } from '../../src/measure/density.js';
import type { DensityOptions } from '../../src/measure/density-read.js';
import type { Deployment, RuntimeDriver } from '../../src/runtimes/types.js';
import { collectingContext, HI_ARTIFACTS, startHiServer } from '../basics.js';

let server: Server;
let baseUrl: string;
beforeAll(async () => {
  ({ server, baseUrl } = await startHiServer());
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const MiB = 1024 * 1024;
const REASON = 'the memory of process 7 (uid 0) cannot be read as uid 1001: needs root or CAP_SYS_PTRACE';

function environment(): RampEnvironment {
  let ms = 0;
  return {
    host: { memAvailableBytes: async () => 10_000 * MiB, memTotalBytes: async () => 20_000 * MiB, busyCpuSeconds: async () => ms / 1000 },
    now: () => ms,
    sleep: async (wait) => {
      ms += wait;
    },
    teardownTimeoutMs: 200,
  };
}

describe('a memory method that cannot be read here', () => {
  it('is a warning with its reason, once per method and ramp, and never a sample', async () => {
    const driver: RuntimeDriver = {
      name: 'docker',
      deploy: async (_a, tenantId): Promise<Deployment> => ({ runtime: 'docker', tenantId, baseUrl, phases: [] }),
      teardown: async () => {},
      memory: async (ds) => [
        { method: 'cgroup', bytes: ds.length * 3 * MiB },
        { method: 'shim-pss', bytes: Number.NaN, skipped: REASON },
        { method: 'engine-pss', bytes: Number.NaN, skipped: REASON, sharedBase: true },
      ],
      dispose: async () => {},
    };
    const options: DensityOptions = { steps: [1, 2, 3], maxTenants: 10, timeLimitSec: 60, concurrency: 1, settleMs: 0 };
    const { context, samples, warnings } = collectingContext(options, HI_ARTIFACTS, [driver]);
    await rampOnce(context, driver, environment());

    const memory = samples.filter((s) => s.metric === 'memory-per-tenant');
    expect(memory.filter((s) => s.method === 'cgroup').map((s) => s.value)).toEqual([3, 3, 3]);
    expect(memory.some((s) => /shim-pss|engine-pss/.test(s.method ?? ''))).toBe(false);
    expect(memory.every((s) => Number.isFinite(s.value))).toBe(true);
    expect(warnings).toEqual([
      expect.objectContaining({
        kind: 'reading-skipped',
        runtime: 'docker',
        workload: 'w',
        message: expect.stringContaining(`memory method shim-pss skipped (${REASON})`),
      }),
      expect.objectContaining({ kind: 'reading-skipped', runtime: 'docker', message: expect.stringContaining('memory method engine-pss skipped') }),
    ]);
  });
});
