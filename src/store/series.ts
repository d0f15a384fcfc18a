// History as series: per scenario, machine and quantity (workload, runtime, phase or metric), one
// point per run (its median and interval), oldest first, and the level shifts in each. Pure: the
// store hands it runs and their summaries.
import type { Better } from '../measure/types.js';
import { identityKey, runtimeLabel } from '../results/identity.js';
import { parseSelector, selectorText, selects } from '../results/selector.js';
import { isCategory, type Summary, sampleKey } from '../results/types.js';
import { type ChangePoint, type ChangePointOptions, changePoints } from '../stats/change-points.js';
import type { StoredRun } from './read.js';

export interface HistoryPoint {
  runId: string;
  startedAt: string;
  gitSha: string;
  median: number;
  ciLow: number | null;
  ciHigh: number | null;
  n: number;
}

export interface Series {
  scenario: string;
  machine: string;
  workload: string;
  /** What a user types to name the runtime (wasmtime:per-tenant), and how pages name it. */
  runtime: string;
  runtimeLabel: string;
  /** The quantity, in words: "coldstart total", "density pss memory-per-tenant @100 tenants". */
  quantity: string;
  unit: string;
  better: Better;
  points: HistoryPoint[];
}

export interface SeriesChange extends ChangePoint {
  series: Series;
  /** The last run before the shift and the first after it: the commits between them hold its cause. */
  from: HistoryPoint;
  to: HistoryPoint;
  /** Whether the shift is the bad direction for this quantity. */
  regression: boolean;
}

export interface SeriesFilter {
  scenario?: string;
  workload?: string;
  /** RUNTIME[:VARIANT][@ARM] */
  runtime?: string;
}

export function quantityName(s: Pick<Summary, 'measurement' | 'phase' | 'method' | 'model' | 'metric' | 'tenants'>): string {
  const parts = [s.measurement, s.phase, s.method, s.model, s.phase && s.metric === 'duration' ? undefined : s.metric];
  return `${parts.filter(Boolean).join(' ')}${s.tenants > 1 ? ` @${s.tenants} tenants` : ''}`;
}

export function buildSeries(
  runs: readonly StoredRun[],
  summaries: ReadonlyMap<string, Summary[]>,
  judge: (s: Summary) => Better | undefined,
  filter: SeriesFilter = {},
): Series[] {
  const selector = filter.runtime ? parseSelector(filter.runtime) : undefined;
  const byKey = new Map<string, Series>();
  const ordered = [...runs].sort((a, b) => a.startedAt.localeCompare(b.startedAt) || a.runId.localeCompare(b.runId));
  for (const run of ordered) {
    if (filter.scenario && run.scenario !== filter.scenario) continue;
    for (const s of summaries.get(run.runId) ?? []) {
      if (isCategory(s) || s.runtime === null) continue;
      if (filter.workload && s.workload !== filter.workload) continue;
      if (selector && !selects(selector, s)) continue;
      const better = judge(s);
      if (!better) continue;
      const key = [run.scenario, run.machine, sampleKey(s), identityKey(s)].join('\u0001');
      let series = byKey.get(key);
      if (!series) {
        series = {
          scenario: run.scenario,
          machine: run.machine,
          workload: s.workload,
          runtime: selectorText(s),
          runtimeLabel: runtimeLabel(s),
          quantity: quantityName(s),
          unit: s.unit,
          better,
          points: [],
        };
        byKey.set(key, series);
      }
      series.points.push({
        runId: run.runId,
        startedAt: run.startedAt,
        gitSha: run.gitSha,
        median: s.median,
        ciLow: s.ci95?.[0] ?? null,
        ciHigh: s.ci95?.[1] ?? null,
        n: s.n,
      });
    }
  }
  return [...byKey.values()].sort(
    (a, b) =>
      a.scenario.localeCompare(b.scenario) ||
      a.workload.localeCompare(b.workload) ||
      a.quantity.localeCompare(b.quantity) ||
      a.runtime.localeCompare(b.runtime) ||
      a.machine.localeCompare(b.machine),
  );
}

export function seriesChanges(series: readonly Series[], options: ChangePointOptions = {}): SeriesChange[] {
  return series.flatMap((s) =>
    changePoints(
      s.points.map((p) => p.median),
      options,
    ).map((point) => ({
      ...point,
      series: s,
      from: s.points[point.index - 1]!,
      to: s.points[point.index]!,
      regression: s.better === 'lower' ? point.change > 0 : point.change < 0,
    })),
  );
}
