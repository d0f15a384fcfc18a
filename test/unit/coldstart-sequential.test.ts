// The sequential mode of cold start: each runtime stops when its median's interval is tight
// enough, or at the budget, or at the most iterations, and the results say which.
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coldstartRunner } from '../../src/measure/coldstart.js';
import { coldstart } from '../../src/measure/coldstart-read.js';
import { relativeWidth, SequentialStop } from '../../src/measure/coldstart-until.js';
import type { RunResult, Sample } from '../../src/results/types.js';
import type { Deployment, RuntimeDriver } from '../../src/runtimes/types.js';
import { parseScenario } from '../../src/scenario/load.js';
import { liveHost } from '../../src/sys/host.js';
import { coldStartOptions, HI_ARTIFACTS, startHiServer } from '../basics.js';

describe('the stopping rule', () => {
  it('relative width of the median interval: none below six values', () => {
    expect(relativeWidth([10, 10, 10, 10, 10])).toBeUndefined();
    expect(relativeWidth([10, 10, 10, 10, 10, 10])).toBe(0);
    expect(relativeWidth([8, 9, 10, 10, 11, 12])).toBeCloseTo(0.4, 10); // [8, 12] around 10
  });

  it('stops a tight runtime by its interval, a noisy one at the cap, and everything left at the budget', () => {
    let clock = 0;
    const stop = new SequentialStop<string>({ relativeWidth: 0.05, budgetSec: 100 }, 50, () => clock);
    const noisy = [50, 150, 80, 120, 60, 140, 90, 110];
    const keys = ['tight', 'noisy'];
    const stops: string[] = [];
    for (let i = 0; i < 8; i++) {
      stop.record('tight', 100 + (i % 2));
      stop.record('noisy', noisy[i]!);
      for (const s of stop.afterRound(keys)) stops.push(`${s.key} ${s.reason} ${s.iterations}`);
    }
    expect(stops).toEqual(['tight interval 6']);
    expect(stop.active('tight')).toBe(false);
    clock = 100_000; // 100 s later
    stop.record('noisy', 100);
    expect(stop.afterRound(keys)).toEqual([{ key: 'noisy', reason: 'budget', iterations: 9 }]);
    expect(stop.done(keys)).toBe(true);

    const capped = new SequentialStop<string>({ relativeWidth: 0.01 }, 6, () => 0);
    for (const v of [50, 150, 80, 120, 60, 140]) capped.record('noisy', v);
    expect(capped.afterRound(['noisy'])).toEqual([{ key: 'noisy', reason: 'iterations', iterations: 6 }]);
  });
});

describe('the sequential cold-start loop (fake drivers, real HTTP)', () => {
  let server: Server;
  let baseUrl: string;
  beforeAll(async () => {
    ({ server, baseUrl } = await startHiServer());
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  /** A fake runtime whose deploy takes `delay()` ms, then answers from the real HTTP server. */
  const driver = (name: string, delay: () => number): RuntimeDriver => ({
    name,
    deploy: async (_a: unknown, tenantId: string): Promise<Deployment> => {
      await new Promise((r) => setTimeout(r, delay()));
      return { runtime: name, tenantId, baseUrl, phases: [{ phase: 'start', ms: 1 }] };
    },
    teardown: async () => {},
    dispose: async () => {},
  });

  /** The cold-start runner in sequential mode (stop at `relativeWidth`, or at `iterations`): its samples. */
  async function sequentialRun(drivers: RuntimeDriver[], iterations: number, relativeWidth: number): Promise<Sample[]> {
    const samples: Sample[] = [];
    await coldstartRunner.run({
      scenario: 's',
      artifacts: HI_ARTIFACTS,
      drivers,
      options: coldStartOptions(iterations, { timeoutMs: 2000, until: { relativeWidth } }),
      onSamples: async (s) => void samples.push(...s),
      onRamp: async () => {},
      onHistogram: async () => {},
      onWarning: async () => {},
      onProgress: () => {},
      signal: new AbortController().signal,
      runId: 'test',
      host: liveHost,
    });
    return samples;
  }

  it('measures until each runtime stops, interleaved, and records why', async () => {
    // "steady" answers at once; "jittery" waits 0–30 ms at random, so its interval stays wide.
    const samples = await sequentialRun([driver('steady', () => 0), driver('jittery', () => (Math.random() < 0.5 ? 0 : 30))], 12, 0.001);
    const totals = (runtime: string) => samples.filter((s) => s.runtime === runtime && s.phase === 'total').length;
    const stopped = samples.filter((s) => s.metric === 'stopped-by');
    // A width of 0.1% is out of reach for real HTTP timings: both run to the cap of 12, and say so.
    expect(totals('steady')).toBe(12);
    expect(totals('jittery')).toBe(12);
    expect(stopped.map((s) => `${s.runtime} ${s.category} ${s.iteration}`).sort()).toEqual(['jittery iterations 12', 'steady iterations 12']);
    expect(stopped.every((s) => s.unit === 'category' && s.measurement === 'coldstart')).toBe(true);

    // Read back: the report's sentences say why each stopped, and no summary or verdict is made of the records.
    const result = {
      runId: 'r',
      samples,
      summaries: [],
      scenario: parseScenario('s.yaml', 'name: s\nworkloads: [hello]\nruntimes: [process]\nmeasurements: { coldstart: { until: { relativeWidth: 0.001 } } }\n'),
    } as unknown as RunResult;
    const sentences = coldstart.read.headlines(result, {}).filter((s) => s.includes('stopped'));
    expect(sentences).toContain("w: steady stopped after 12 cold starts: it reached the most iterations before its median's interval was within 0.1%.");
  });

  it('stops a runtime early once its interval is within the width, leaving the others running', async () => {
    let slow = 0;
    // "steady" always takes about 100 ms (a busy machine adds tens); "spread" alternates 0 and 400 ms,
    // so its median's interval spans both, about twice its median.
    const samples = await sequentialRun([driver('steady', () => 100), driver('spread', () => (slow++ % 2 ? 400 : 0))], 14, 1);
    const stopped = Object.fromEntries(samples.filter((s) => s.metric === 'stopped-by').map((s) => [s.runtime, `${s.category} ${s.iteration}`]));
    expect(stopped.steady).toBe('interval 6');
    expect(stopped.spread).toBe('iterations 14');
    expect(samples.filter((s) => s.runtime === 'steady' && s.phase === 'total')).toHaveLength(6);
    expect(samples.filter((s) => s.runtime === 'spread' && s.phase === 'total')).toHaveLength(14);
  });
});
