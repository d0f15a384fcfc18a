// A burst on pre-created containers: the pool that stageAhead fills before the window gives every
// deploy of the burst a container created ahead (not only the first, as one staged container
// would), and a burst on the real engine records its per-tenant first responses and its phases.
import { afterAll, describe, expect, it } from 'vitest';
import { burstRunner } from '../src/measure/burst.js';
import type { BurstOptions } from '../src/measure/burst-read.js';
import { availableDrivers } from '../src/runtimes/select.js';
import type { RuntimeDriver } from '../src/runtimes/types.js';
import { artifactsFor, collectingContext, containersOfRun, runtimeAvailable } from './helpers.js';

describe.skipIf(!(await runtimeAvailable('docker')))('a burst of pre-created containers', () => {
  const runId = `burst-precreated-${process.pid}`;
  let drivers: RuntimeDriver[] = [];
  afterAll(async () => {
    await Promise.all(drivers.map((d) => d.dispose()));
    expect(await containersOfRun(runId)).toBe(0);
  });

  it('finds every container of the burst created ahead, and records the burst', async () => {
    const artifacts = await artifactsFor('hello-c', ['docker']);
    drivers = (await availableDrivers(['docker'], { runId }, { docker: { network: 'host', startModel: ['pre-created'] } }, () => {})).drivers;
    const [driver] = drivers;
    await driver!.prepare?.(artifacts);
    await driver!.stageAhead!(artifacts, 4);
    const burst = await Promise.all([0, 1, 2, 3].map((i) => driver!.deploy(artifacts, `t${i}`)));
    for (const d of burst)
      expect(d.phases.map((p) => [p.phase, p.ahead ?? false])).toEqual([
        ['create', true],
        ['start', false],
      ]);
    for (const d of burst) await driver!.teardown(d);

    const options: BurstOptions = { sizes: [3], repetitions: 1, warmup: 0, maxInFlight: 1000, timeoutMs: 60_000, settleMs: 0 };
    const { context, samples } = collectingContext(options, artifacts, drivers);
    await burstRunner.run(context);
    expect(samples.filter((s) => s.phase === 'first-response')).toHaveLength(3);
    // The window holds the start only: the creates were done before it.
    expect(new Set(samples.filter((s) => s.metric === 'p50').map((s) => s.phase))).toEqual(new Set(['deploy', 'start']));
    expect(samples.find((s) => s.phase === 'failed')!.value).toBe(0);
  });
});
