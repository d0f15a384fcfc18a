// The cold-start loop, with fake drivers: interleaving, warm-ups, phases, teardown on failure.

import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coldstartRunner } from '../../src/measure/coldstart.js';
import type { ColdStartOptions } from '../../src/measure/coldstart-read.js';
import type { MeasureContext } from '../../src/measure/types.js';
import type { Sample } from '../../src/results/types.js';
import type { Deployment, RuntimeDriver } from '../../src/runtimes/types.js';
import { liveHost } from '../../src/sys/host.js';
import { coldStartOptions, HI_ARTIFACTS, startHiServer } from '../basics.js';

let server: Server;
let baseUrl: string;
beforeAll(async () => {
  ({ server, baseUrl } = await startHiServer());
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const artifacts = HI_ARTIFACTS;

function fakeDriver(name: string, events: string[], url = () => baseUrl): RuntimeDriver {
  return {
    name,
    deploy: async (_a: unknown, tenantId: string): Promise<Deployment> => {
      events.push(`deploy ${name} ${tenantId}`);
      return { runtime: name, tenantId, baseUrl: url(), phases: [{ phase: 'start', ms: 1 }] };
    },
    teardown: async (d) => void events.push(`teardown ${name} ${d.tenantId}`),
    dispose: async () => {},
  };
}

function measureColdStarts(plan: Pick<MeasureContext<ColdStartOptions>, 'scenario' | 'artifacts' | 'drivers' | 'options' | 'onSamples' | 'signal'>) {
  return coldstartRunner.run({
    ...plan,
    runId: 'test',
    onRamp: async () => {},
    onHistogram: async () => {},
    onWarning: async () => {},
    onProgress: () => {},
    host: liveHost,
  });
}

describe('the cold-start measurement', () => {
  it('interleaves runtimes, discards warm-ups and records every phase', async () => {
    const events: string[] = [];
    const samples: Sample[] = [];
    let saves = 0;
    await measureColdStarts({
      scenario: 's',
      artifacts,
      drivers: [fakeDriver('docker', events), fakeDriver('wasm', events), fakeDriver('process', events)],
      options: coldStartOptions(20, { warmup: 1, timeoutMs: 2000 }),
      onSamples: async (s) => {
        saves++;
        samples.push(...s);
      },
      signal: new AbortController().signal,
    });
    expect(saves).toBe(80); // saved after every measured cold start and every round's floor probe
    // Every measured round starts with a probe of the null server: the floor harness takes away.
    const floors = samples.filter((s) => s.phase === 'probe-floor-in-round');
    expect(floors.map((s) => s.iteration)).toEqual([...Array(20).keys()]);
    for (const floor of floors) expect(floor).toMatchObject({ measurement: 'probe-floor', unit: 'ms' });
    expect(events.filter((e) => e.startsWith('deploy'))).toHaveLength(63);
    expect(events.filter((e) => e.startsWith('teardown'))).toHaveLength(63);
    for (const runtime of ['docker', 'wasm', 'process']) {
      const mine = samples.filter((s) => s.runtime === runtime);
      // A Wasm runtime's cold start also says what the harness added to it.
      const harness = runtime === 'wasm' ? ['harness'] : [];
      expect(new Set(mine.map((s) => s.phase))).toEqual(new Set(['start', 'first-response', ...harness, 'total']));
      expect(new Set(mine.map((s) => s.iteration)).size).toBe(20);
    }
    // The order changes between rounds (the chance of 21 identical orders by luck is 6^-20).
    const orders = new Set<string>();
    for (let round = 0; round < 21; round++) {
      orders.add(
        events
          .filter((e) => e.startsWith('deploy') && e.endsWith(`-${round}`))
          .map((e) => e.split(' ')[1])
          .join(','),
      );
    }
    expect(orders.size).toBeGreaterThan(1);
    const total = samples.find((s) => s.phase === 'total')!;
    const first = samples.find((s) => s.phase === 'first-response' && s.runtime === total.runtime && s.iteration === total.iteration)!;
    expect(total.value).toBeGreaterThanOrEqual(first.value);
  });

  it('tears the tenant down when it never answers, and says so', async () => {
    const events: string[] = [];
    const dead = fakeDriver('process', events, () => 'http://127.0.0.1:1');
    await expect(
      measureColdStarts({
        scenario: 's',
        artifacts,
        drivers: [dead],
        options: coldStartOptions(1),
        onSamples: async () => {},
        signal: new AbortController().signal,
      }),
    ).rejects.toThrow(/no expected answer within 300 ms/);
    expect(events).toEqual(['deploy process w-process-0', 'teardown process w-process-0']);
  });

  it('stops between cold starts when aborted', async () => {
    const events: string[] = [];
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    await expect(
      measureColdStarts({
        scenario: 's',
        artifacts,
        drivers: [fakeDriver('wasm', events)],
        options: coldStartOptions(5),
        onSamples: async () => {},
        signal: controller.signal,
      }),
    ).rejects.toThrow('stop');
    expect(events).toEqual([]);
  });
});
