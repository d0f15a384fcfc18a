// A wave of cold starts, the one mechanism behind bursts and start rates: tenant i is started at
// its intended time (the wave's start + i × interval; interval 0 is a burst, all at once), deployed
// and probed until its first expected response, and timed from that intended time, so that a
// harness or runtime that falls behind shows in every start it delayed (no coordinated omission).
// Probes back off after a refusal (1, 2, 4, 8, then every 10 ms): K probes at once must not take the
// cores the tenants start on. Every deployment is handed to the caller as soon as it exists, so
// that a wave cut short (Ctrl-C, a failure) is still torn down whole.
import { performance } from 'node:perf_hooks';
import type { Deployment, PhaseTiming, RuntimeDriver } from '../runtimes/types.js';
import type { WorkloadArtifacts } from '../workloads/artifacts.js';
import { type ProbePace, probeFirstResponse } from './probe.js';
import { probeTenant } from './probe-tenant.js';

/** After the n-th refusal: 1, 2, 4, 8 ms, then 10 ms (a tenant is seen at most ~10 ms after it listens). */
export const WAVE_PACE: ProbePace = (refusals) => Math.min(10, 2 ** (refusals - 1));

export interface WaveStart {
  /** Its intended start, from the wave's start (ms). */
  intendedMs: number;
  /** From its intended start to its first expected response; absent when it did not answer. */
  ms?: number;
  /** The driver's deploy call, from when it was made. */
  deployMs?: number;
  /** The deploy's own phases (create, start, instantiate, …), without work done ahead of the wave. */
  phases: PhaseTiming[];
  error?: string;
}

export interface WavePlan {
  count: number;
  /** Between intended starts (ms); 0: all at once. */
  intervalMs: number;
  /** A start that has not answered this long after its intended time fails. */
  timeoutMs: number;
  /** Deploys in flight at once, at most. */
  maxInFlight: number;
  /** A start that waits this long stops the wave from starting more (the start rate's overload). */
  overloadMs?: number;
  tenant(index: number): string;
  now?: () => number;
}

/** Runs the wave; `deployments` receives each deployment as it is made. Returns the starts made, in order. */
export async function runWave(
  driver: RuntimeDriver,
  artifacts: WorkloadArtifacts,
  plan: WavePlan,
  deployments: Deployment[],
  signal: AbortSignal,
): Promise<WaveStart[]> {
  const now = plan.now ?? (() => performance.now());
  const request = artifacts.workload.requests[0]!;
  const starts: WaveStart[] = [];
  const running: Promise<void>[] = [];
  const pending = new Map<number, number>(); // index -> intended time, of starts not yet answered
  let inFlight = 0;
  let stopped = false;
  let wake: (() => void) | undefined;
  const t0 = now();

  const start = async (index: number) => {
    const intended = t0 + index * plan.intervalMs;
    const entry: WaveStart = { intendedMs: intended - t0, phases: [] };
    starts[index] = entry;
    inFlight++;
    pending.set(index, intended);
    try {
      const deployStarted = now();
      const deployment = await driver.deploy(artifacts, plan.tenant(index));
      deployments.push(deployment);
      entry.deployMs = now() - deployStarted;
      entry.phases = deployment.phases.filter((p) => !p.ahead);
      const left = Math.max(1, intended + plan.timeoutMs - now());
      await probeTenant({ probe: (url, expected, ms, s) => probeFirstResponse(url, expected, ms, s, WAVE_PACE) }, deployment, request, left, signal);
      entry.ms = now() - intended;
      if (plan.overloadMs !== undefined && entry.ms >= plan.overloadMs) stopped = true;
    } catch (error) {
      entry.error = ((error as Error).message ?? String(error)).split('\n')[0]!;
    } finally {
      inFlight--;
      pending.delete(index);
      wake?.();
    }
  };

  // Each tick starts every tenant whose time has come (a late tick starts the backlog at once,
  // still timed from the intended times), until all are started, the wave is overloaded or aborted.
  let launched = 0;
  while (launched < plan.count) {
    const at = now();
    if (signal.aborted) break;
    if (plan.overloadMs !== undefined) for (const intended of pending.values()) if (at - intended >= plan.overloadMs) stopped = true;
    if (stopped) break;
    while (launched < plan.count && inFlight < plan.maxInFlight && t0 + launched * plan.intervalMs <= at) running.push(start(launched++));
    if (launched >= plan.count) break;
    const untilNext = t0 + launched * plan.intervalMs - at;
    // Wait for the next start's time, a free slot, or (start rate) the next overload check.
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, Math.max(0, Math.min(inFlight >= plan.maxInFlight ? 100 : untilNext, plan.overloadMs === undefined ? Infinity : 100)));
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    wake = undefined;
  }
  await Promise.all(running);
  return starts;
}
