// The sequential mode of cold start (`coldstart.until`): each runtime keeps being measured, still
// interleaved round by round with the others, until the 95% interval of its median total is within
// a relative width, or the time budget ends, or `iterations` (then the cap) is reached. Which of
// the three stopped it is recorded as a category sample (metric "stopped-by").
import { medianInterval } from '../stats/summarize.js';

export type StopReason = 'interval' | 'budget' | 'iterations';

export interface Until {
  /** Stop a runtime once (high − low) / median of its median's 95% interval is at most this. */
  relativeWidth: number;
  /** Stop every runtime still running once the cold-start loop of a workload has taken this long. */
  budgetSec?: number;
}

export { STOPPED_BY_METRIC } from './coldstart-read.js';

/** (high − low) / median of the median's 95% interval; undefined below six values (no interval). */
export function relativeWidth(values: readonly number[]): number | undefined {
  const sorted = [...values].sort((a, b) => a - b);
  const { ci95 } = medianInterval(sorted);
  if (!ci95) return undefined;
  const mid = sorted.length % 2 ? sorted[(sorted.length - 1) / 2]! : (sorted[sorted.length / 2 - 1]! + sorted[sorted.length / 2]!) / 2;
  return mid > 0 ? (ci95[1] - ci95[0]) / mid : undefined;
}

/** The stopping rule over a set of runtimes (any key: the runner uses its drivers). */
export class SequentialStop<K> {
  private readonly totals = new Map<K, number[]>();
  private readonly stops = new Map<K, { reason: StopReason; iterations: number }>();
  private readonly started: number;

  constructor(
    private readonly until: Until,
    private readonly maxIterations: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.started = now();
  }

  active(key: K): boolean {
    return !this.stops.has(key);
  }

  record(key: K, totalMs: number): void {
    this.totals.set(key, [...(this.totals.get(key) ?? []), totalMs]);
  }

  /** After a measured round: the runtimes that stop now, and why. */
  afterRound(keys: readonly K[]): { key: K; reason: StopReason; iterations: number }[] {
    const overBudget = this.until.budgetSec !== undefined && (this.now() - this.started) / 1000 >= this.until.budgetSec;
    const stopping: { key: K; reason: StopReason; iterations: number }[] = [];
    for (const key of keys.filter((k) => this.active(k))) {
      const values = this.totals.get(key) ?? [];
      const width = relativeWidth(values);
      const reason: StopReason | undefined =
        width !== undefined && width <= this.until.relativeWidth
          ? 'interval'
          : values.length >= this.maxIterations
            ? 'iterations'
            : overBudget
              ? 'budget'
              : undefined;
      if (reason) {
        this.stops.set(key, { reason, iterations: values.length });
        stopping.push({ key, reason, iterations: values.length });
      }
    }
    return stopping;
  }

  done(keys: readonly K[]): boolean {
    return keys.every((k) => !this.active(k));
  }
}
