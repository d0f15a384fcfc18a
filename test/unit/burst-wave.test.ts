// The wave behind bursts and start rates, on a runtime made here that starts one tenant at a time
// (a queue with a known service time, as an engine that serialises starts): a burst's first
// responses queue behind one another, a rate above the runtime's capacity is found overloaded and
// one below it sustained, and a wave cut short hands back every deployment it made.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { passOutcome } from '../../src/measure/burst-figures.js';
import { runWave } from '../../src/measure/burst-wave.js';
import type { Deployment, RuntimeDriver } from '../../src/runtimes/types.js';
import { HI_ARTIFACTS } from '../basics.js';

const servers = new Set<Server>();
afterEach(async () => {
  await Promise.all([...servers].map((s) => new Promise((resolve) => s.close(resolve))));
  servers.clear();
});

/** Starts take `serviceMs` each, one at a time; a started tenant answers the declared request. */
function queuedRuntime(serviceMs: number): RuntimeDriver & { tornDown: number } {
  let queue = Promise.resolve();
  const request = HI_ARTIFACTS.workload.requests[0]!;
  const driver = {
    name: 'queued',
    tornDown: 0,
    async deploy(_artifacts: unknown, tenantId: string): Promise<Deployment> {
      const turn = queue.then(() => sleep(serviceMs));
      queue = turn;
      await turn;
      const server = createServer((_req, res) => res.writeHead(request.expect.status).end(request.expect.body));
      servers.add(server);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      return {
        runtime: 'queued',
        tenantId,
        baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        phases: [{ phase: 'start', ms: serviceMs }],
      };
    },
    async teardown() {
      driver.tornDown++;
    },
    async dispose() {},
  };
  return driver;
}

const plan = (count: number, intervalMs: number, overloadMs?: number) => ({
  count,
  intervalMs,
  timeoutMs: 10_000,
  maxInFlight: 1000,
  tenant: (i: number) => `t${i}`,
  ...(overloadMs ? { overloadMs } : {}),
});
const LIMITS = { overloadMs: 2000, backlogShare: 0.05, growthMs: 100 };

describe('a wave of cold starts', () => {
  it('a burst queues behind a runtime that starts one tenant at a time: the last answers after K service times', async () => {
    const driver = queuedRuntime(20);
    const deployments: Deployment[] = [];
    const starts = await runWave(driver, HI_ARTIFACTS, plan(8, 0), deployments, new AbortController().signal);
    expect(deployments).toHaveLength(8);
    expect(starts.every((s) => s.ms !== undefined && s.intendedMs === 0)).toBe(true);
    const last = Math.max(...starts.map((s) => s.ms!));
    expect(last).toBeGreaterThanOrEqual(8 * 20);
    // Queued: the i-th deploy waited for the i before it.
    for (const [i, s] of starts.entries()) expect(s.deployMs).toBeGreaterThanOrEqual((i + 1) * 20 - 1);
    expect(starts[0]!.phases).toEqual([{ phase: 'start', ms: 20 }]);
  });

  it('a rate above what the runtime can start is overloaded (a growing backlog); one well below it is sustained', async () => {
    const over = await runWave(queuedRuntime(40), HI_ARTIFACTS, plan(20, 10, LIMITS.overloadMs), [], new AbortController().signal);
    expect(passOutcome(over, 20, LIMITS)).toMatchObject({ outcome: 'overloaded' });
    // A start every 150 ms on a runtime that needs 2 ms: sustained even on a busy machine.
    const under = await runWave(queuedRuntime(2), HI_ARTIFACTS, plan(8, 150, LIMITS.overloadMs), [], new AbortController().signal);
    expect(under.map((s) => Math.round(s.intendedMs))).toEqual(Array.from({ length: 8 }, (_, i) => i * 150));
    const judged = passOutcome(under, 8, LIMITS);
    expect(judged.outcome, judged.why).toBe('sustained');
  });

  it('stops starting once a start has waited overloadMs', async () => {
    const starts = await runWave(queuedRuntime(100), HI_ARTIFACTS, plan(200, 25, 300), [], new AbortController().signal);
    expect(starts.length).toBeLessThan(200);
    expect(passOutcome(starts, 200, LIMITS)).toMatchObject({ outcome: 'overloaded', why: expect.stringMatching(/^stopped after \d+ of 200 starts/) });
  });

  it('cut short, it still hands back every deployment it made, for the teardown', async () => {
    const controller = new AbortController();
    const deployments: Deployment[] = [];
    setTimeout(() => controller.abort(new Error('interrupted by SIGINT')), 50);
    const starts = await runWave(queuedRuntime(20), HI_ARTIFACTS, plan(10, 0), deployments, controller.signal);
    // Every deploy in flight when the signal came still finished, and was handed back.
    expect(deployments).toHaveLength(10);
    expect(starts.filter((s) => s.error).length).toBeGreaterThan(0);
  });

  it('judges a pass from its waits against start time', () => {
    const pass = (ms: (number | undefined)[], everyMs = 100) => ms.map((m, i) => ({ intendedMs: i * everyMs, ...(m === undefined ? {} : { ms: m }) }));
    expect(passOutcome(pass([5, 6, 5, 7, 6, 5, 6, 5]), 8, LIMITS).outcome).toBe('sustained');
    // A backlog: each start waits 60 ms more than the one 100 ms before it.
    expect(passOutcome(pass([5, 60, 120, 180, 240, 300, 360, 420]), 8, LIMITS)).toMatchObject({
      outcome: 'overloaded',
      why: expect.stringMatching(/growing backlog$/),
    });
    // One slow start on a busy machine is not a trend.
    expect(passOutcome(pass([5, 6, 5, 7, 6, 5, 6, 900]), 8, LIMITS).outcome).toBe('sustained');
    // A trend, but too small to matter: a fast runtime's noise.
    expect(passOutcome(pass([1, 1, 2, 2, 3, 3, 4, 4], 10), 8, LIMITS).outcome).toBe('sustained');
    expect(passOutcome(pass([5, undefined, 5, 5]), 4, LIMITS)).toEqual({ outcome: 'failed', why: '1 of 4 starts did not answer' });
    expect(passOutcome(pass([5, 5, 2500, 5]), 4, LIMITS).outcome).toBe('overloaded');
  });
});
