// A second opinion on a load pass: with `load.crossCheck: wrk`, every measured pass of autocannon
// is followed (or, every other pass, preceded) by a wrk pass of the same URLs, connections and
// duration, recorded under its own metric names (wrk-throughput, wrk-latency-p99, …) so that the
// two clients' figures sit side by side and neither is mistaken for the other.
import { z } from 'zod';
import { formatNumber } from '../format.js';
import type { Summary } from '../results/types.js';
import type { LoadPassConfig } from './load-types.js';
import type { WrkPass } from './wrk.js';

export const CrossCheck = z
  .enum(['wrk'])
  .optional()
  .describe(
    "Closed model: run wrk beside autocannon on every pass (same URLs, connections and duration, alternating which goes first) and record wrk's req/s and latency percentiles as wrk-* metrics.",
  );
export type CrossCheck = z.infer<typeof CrossCheck>;

/** The metric a wrk figure is recorded under. */
export const wrkMetric = (metric: string) => `wrk-${metric}`;

/** Problems with the scenario's load settings for a cross-check, as `field: what was expected`. */
export function crossCheckProblems(options: { crossCheck?: CrossCheck; ratePerSec?: number; pipelining: number }): string[] {
  if (!options.crossCheck) return [];
  const problems: string[] = [];
  if (options.ratePerSec !== undefined) problems.push('measurements.load.crossCheck: wrk runs the closed model only; remove ratePerSec or crossCheck');
  if (options.pipelining > 1)
    problems.push('measurements.load.crossCheck: wrk sends one request at a time per connection; set pipelining to 1 or remove crossCheck');
  return problems;
}

/** Fails before anything is deployed when wrk is asked for and missing (closed model only: checked with the scenario). */
export async function checkCrossCheck(crossCheck: CrossCheck): Promise<void> {
  // wrk is loaded on use: the load read side uses this file's pure parts.
  if (crossCheck && !(await (await import('./wrk.js')).wrkAvailable()))
    throw new Error('measurements.load.crossCheck: wrk is not installed (bash scripts/setup.sh installs it)');
}

/** Runs the autocannon pass and, when asked, the wrk pass; which goes first alternates with the repetition. */
export async function withCrossCheck<T>(
  crossCheck: CrossCheck,
  repetition: number,
  config: LoadPassConfig,
  worker: { cpus?: string; signal?: AbortSignal; runId?: string },
  pass: () => Promise<T>,
): Promise<{ pass: T; wrk?: WrkPass }> {
  if (!crossCheck) return { pass: await pass() };
  const { runWrkPass } = await import('./wrk.js');
  const wrk = () => runWrkPass({ ...config, ...worker });
  if (repetition % 2 === 0) {
    const first = await pass();
    return { pass: first, wrk: await wrk() };
  }
  const second = await wrk();
  return { pass: await pass(), wrk: second };
}

/** wrk's figures for one pass, as [metric, unit, value]. */
export function wrkValues(wrk: WrkPass): [string, string, number][] {
  return [
    [wrkMetric('throughput'), 'req/s', wrk.requestsPerSec],
    [wrkMetric('latency-p50'), 'ms', wrk.latencyMs.p50],
    [wrkMetric('latency-p90'), 'ms', wrk.latencyMs.p90],
    [wrkMetric('latency-p99'), 'ms', wrk.latencyMs.p99],
    [wrkMetric('latency-max'), 'ms', wrk.latencyMs.max],
    [wrkMetric('requests'), 'count', wrk.requests],
    [wrkMetric('errors'), 'count', wrk.errors + wrk.timeouts],
    [wrkMetric('non-2xx'), 'count', wrk.non2xx],
  ];
}

/** Table cells for a load row: wrk's median req/s and p99, or '-' when the row has no cross-check. */
export function wrkCells(pick: (metric: string) => Summary | undefined): [string, string] {
  const rps = pick(wrkMetric('throughput'));
  const p99 = pick(wrkMetric('latency-p99'));
  return [rps ? formatNumber(rps.median) : '-', p99 ? formatNumber(p99.median) : '-'];
}
