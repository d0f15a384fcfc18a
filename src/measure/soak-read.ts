// Soak, as a kind (its settings) and as it reads: many tenants per host under a steady open-model
// load for a long time, with a few faulty tenants, recorded per interval (host RSS/PSS, open file
// descriptors, latency percentiles, answered and failed requests, faults), and an end verdict:
// every well-behaved request answered, memory growth within a bound. Measuring is in soak.ts.
import { median } from 'simple-statistics';
import { z } from 'zod';
import { formatNumber } from '../format.js';
import { severalSources, sourceLabel } from '../report/labels.js';
import { identityKey, runtimeLabel } from '../results/identity.js';
import type { RunResult, Sample } from '../results/types.js';
import { textTable } from '../text-table.js';
import { defineMeasurement } from './types.js';

export const SOAK_MEASUREMENT = 'soak';

const FaultOptions = z
  .object({
    workloadDir: z
      .string()
      .regex(/^(?!\/)(?!.*(?:^|\/)\.\.(?:\/|$))[A-Za-z0-9._/-]{1,200}$/, "a folder inside the project, e.g. test/data/workloads/fault-c (no '..')")
      .default('test/data/workloads/fault-c')
      .describe('Folder (from the project root) of the workload the faulty tenants run; its C component must answer the paths below with a fault.'),
    tenants: z.number().int().min(0).max(1000).default(3).describe('Faulty tenants added to each host beside the well-behaved ones (0: none).'),
    paths: z
      .array(z.string().regex(/^\/[^\s]*$/, 'a path starting with /'))
      .min(1)
      .max(20)
      .default(['/trap', '/loop'])
      .describe(
        'Requests that make a faulty tenant fail (e.g. /trap, /loop; a memory-exceeding path once the hosts cap memory); one is picked at random each time.',
      ),
    perInterval: z.number().int().min(0).max(1000).default(2).describe('Faulty requests sent per interval, each at a random moment within it.'),
  })
  .strict();

const SoakOptions = z
  .object({
    durationSec: z
      .number()
      .int()
      .min(2)
      .max(7 * 24 * 3600)
      .default(3600)
      .describe('How long the load runs (CLI: --duration).'),
    intervalSec: z.number().int().min(1).max(3600).default(60).describe('Figures are recorded once per interval.'),
    tenants: z.number().int().min(1).max(1_000_000).default(100).describe('Well-behaved tenants per runtime.'),
    tenantsPerRuntime: z
      .record(z.string(), z.number().int().min(1).max(1_000_000))
      .optional()
      .describe('Another tenant count for some runtimes, e.g. { wasmtime: 10000, wasm: 1000 }.'),
    ratePerSec: z.number().min(1).max(100_000).default(200).describe('Requests per second per runtime (open model), rotating over its tenants.'),
    connections: z.number().int().min(1).max(1024).default(16).describe('Keep-alive sockets per runtime.'),
    timeoutMs: z.number().int().min(100).max(600_000).default(10_000).describe('A request not answered within this counts as failed.'),
    deployConcurrency: z.number().int().min(1).max(256).default(16).describe('Tenants deployed at the same time before the load starts.'),
    maxGrowthMiB: z
      .number()
      .min(0)
      .max(1024 * 1024)
      .default(64)
      .describe(
        "The bound on memory growth, from the median of the first quarter of the intervals to the median of the last: the serving processes' RSS, or for a host with a JS heap (the V8 host) its live heap and its RSS outside the heap. Above it, the soak fails.",
      ),
    faults: FaultOptions.default(FaultOptions.parse({})).describe('Faulty tenants: their failures are counted apart, never as failed requests.'),
  })
  .strict();
export type SoakOptions = z.infer<typeof SoakOptions>;

/**
 * How much a reading grew over a soak: the median of its last quarter of intervals less the median
 * of its first quarter (one interval each at least). A garbage-collected heap swings within each
 * collection cycle, so one reading at each end would judge where each happened to fall in its cycle.
 */
export function soakGrowth(readings: number[]): number | undefined {
  const ends = quarterMedians(readings);
  return ends && ends[1] - ends[0];
}

/** The medians of the first and the last quarter of `readings` (one reading each at least). */
export function quarterMedians(readings: number[]): [number, number] | undefined {
  if (readings.length === 0) return undefined;
  const quarter = Math.max(1, Math.floor(readings.length / 4));
  return [median(readings.slice(0, quarter)), median(readings.slice(-quarter))];
}

/** One interval's memory readings of a runtime's serving processes. */
export interface MemoryReadings {
  rssMiB: number;
  /** Hosts with a JS heap: in use after its last full collection, and RSS outside the heap. */
  heapLiveMiB?: number;
  outsideHeapMiB?: number;
}

/**
 * Memory that grew past the bound. A host with a JS heap is judged by what is live in it and by its
 * RSS outside it: its RSS also holds the garbage V8 lets pile up between collections, and V8 lets
 * more pile up the longer the host runs (reported, not judged).
 */
export function memoryGrowthProblems(memory: MemoryReadings[], boundMiB: number): string[] {
  const judged: [string, (number | undefined)[]][] = memory.some((r) => r.heapLiveMiB !== undefined)
    ? [
        ['the live JS heap', memory.map((r) => r.heapLiveMiB)],
        ['RSS outside the JS heap', memory.map((r) => r.outsideHeapMiB)],
      ]
    : [['RSS', memory.map((r) => r.rssMiB)]];
  return judged.flatMap(([what, values]) => {
    const growth = soakGrowth(values.filter((v): v is number => v !== undefined));
    return growth !== undefined && growth > boundMiB ? [`${what} grew ${formatNumber(growth)} MiB (bound ${boundMiB} MiB)`] : [];
  });
}

/** Tenants a runtime gets. */
export function soakTenants(options: SoakOptions, runtime: string): number {
  return options.tenantsPerRuntime?.[runtime] ?? options.tenants;
}

/** What each interval records, with its unit and how the chart shows it. */
export const INTERVAL_METRICS = [
  { metric: 'host-rss', unit: 'MiB', chart: true },
  { metric: 'host-pss', unit: 'MiB', chart: false },
  { metric: 'host-heap-used', unit: 'MiB', chart: false },
  { metric: 'host-heap-live', unit: 'MiB', chart: true },
  { metric: 'host-rss-outside-heap', unit: 'MiB', chart: false },
  { metric: 'open-fds', unit: 'count', chart: true },
  { metric: 'latency-p50', unit: 'ms', chart: false },
  { metric: 'latency-p99', unit: 'ms', chart: true },
  { metric: 'latency-max', unit: 'ms', chart: false },
  { metric: 'answered', unit: 'count', chart: false },
  { metric: 'failed', unit: 'count', chart: true },
  { metric: 'faults', unit: 'count', chart: true },
  { metric: 'fault-requests', unit: 'count', chart: false },
  { metric: 'client-lag', unit: 'ms', chart: false },
] as const;
export type IntervalMetric = (typeof INTERVAL_METRICS)[number]['metric'];

/** The end of a soak: `passed`, or what failed (recorded as a category). */
export const END_METRIC = 'end';

const soakSamples = (result: RunResult) => result.samples.filter((s) => s.measurement === SOAK_MEASUREMENT);

interface SoakRow {
  workload: string;
  runtime: string;
  tenants: number;
  intervals: number;
  answered: number;
  failed: number;
  faults: number;
  /** Medians of the first and last quarter of the intervals. */
  rss?: [number, number];
  heapLive?: [number, number];
  p99Max?: number;
  end: string;
}

function soakRows(result: RunResult): SoakRow[] {
  const groups = new Map<string, Sample[]>();
  for (const s of soakSamples(result)) {
    const key = `${s.workload}\0${identityKey(s)}`;
    groups.set(key, [...(groups.get(key) ?? []), s]);
  }
  return [...groups.values()].map((samples) => {
    const of = (metric: string) => samples.filter((s) => s.metric === metric).sort((a, b) => a.iteration - b.iteration);
    const sum = (metric: string) => of(metric).reduce((total, s) => total + s.value, 0);
    const p99 = of('latency-p99').map((s) => s.value);
    return {
      workload: samples[0]!.workload,
      runtime: runtimeLabel(samples[0]!),
      tenants: samples[0]!.tenants,
      intervals: of('answered').length,
      answered: sum('answered'),
      failed: sum('failed'),
      faults: sum('faults'),
      rss: quarterMedians(of('host-rss').map((s) => s.value)),
      heapLive: quarterMedians(of('host-heap-live').map((s) => s.value)),
      p99Max: p99.length ? Math.max(...p99) : undefined,
      end: of(END_METRIC)[0]?.category ?? 'unfinished',
    };
  });
}

const HEADER = [
  'workload',
  'runtime',
  'tenants',
  'intervals',
  'answered',
  'failed',
  'faults',
  'RSS first → last quarter (MiB)',
  'live JS heap first → last quarter (MiB)',
  'worst p99 (ms)',
  'end',
];
const ends = (pair: [number, number] | undefined) => (pair ? `${formatNumber(pair[0])} → ${formatNumber(pair[1])}` : '-');
const rowCells = (r: SoakRow) => [
  r.workload,
  r.runtime,
  String(r.tenants),
  String(r.intervals),
  String(r.answered),
  String(r.failed),
  String(r.faults),
  ends(r.rss),
  ends(r.heapLive),
  r.p99Max === undefined ? '-' : formatNumber(r.p99Max),
  r.end,
];

export const soak = defineMeasurement({
  name: SOAK_MEASUREMENT,
  summary: 'many tenants per host under a steady open-model load for a long time, with faulty tenants: per-interval memory, fds, latency, errors and faults',
  options: SoakOptions,
  owns: [SOAK_MEASUREMENT],

  read: {
    table(result) {
      const rows = soakRows(result);
      return rows.length ? `soak\n${textTable(HEADER, rows.map(rowCells))}` : undefined;
    },

    charts(results) {
      const several = severalSources(results);
      const shown = new Set<string>(INTERVAL_METRICS.filter((m) => m.chart).map((m) => m.metric));
      const values = results.flatMap((r) =>
        soakSamples(r)
          .filter((s) => shown.has(s.metric))
          .map((s) => ({
            runtime: several ? `${runtimeLabel(s)} · ${sourceLabel(r, results)}` : runtimeLabel(s),
            workload: s.workload,
            what: `${s.metric} (${s.unit})`,
            interval: s.iteration,
            value: s.value,
          })),
      );
      if (values.length === 0) return [];
      return [
        {
          id: 'soak',
          spec: {
            $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
            title: 'Soak: per interval, the serving processes’ RSS (and a V8 host’s live heap) and open fds, p99 latency, failed requests and faults',
            data: { values },
            facet: { row: { field: 'what', type: 'nominal', title: null } },
            resolve: { scale: { y: 'independent' } },
            spec: {
              width: 600,
              height: 140,
              mark: { type: 'line', point: true },
              encoding: {
                x: { field: 'interval', type: 'quantitative', title: 'interval (minutes at the default interval)' },
                y: { field: 'value', type: 'quantitative', title: null },
                color: { field: 'runtime', type: 'nominal', title: 'runtime' },
                tooltip: [{ field: 'runtime' }, { field: 'workload' }, { field: 'interval' }, { field: 'value', format: '.4~g' }],
              },
            },
          },
        },
      ];
    },

    judge(sample) {
      if (sample.measurement !== SOAK_MEASUREMENT) return undefined;
      return sample.metric === 'latency-p99' || sample.metric === 'host-rss' ? 'lower' : undefined;
    },

    summaryRows(result, scope) {
      return result.summaries.filter((s) => s.measurement === SOAK_MEASUREMENT && (scope === 'all' || s.metric === 'latency-p99' || s.metric === 'host-rss'));
    },

    headlines(result) {
      return soakRows(result).map(
        (r) =>
          `${r.workload} on ${r.runtime}: ${r.tenants} tenants for ${r.intervals} intervals, ${r.answered} requests answered, ${r.failed} failed, ${r.faults} faults counted; RSS ${r.rss ? `${ends(r.rss)} MiB (medians of the first and last quarter)` : 'not read'}${r.heapLive ? `, live JS heap ${ends(r.heapLive)} MiB` : ''}; ${r.end}.`,
      );
    },

    reportTable(results) {
      const rows = results.flatMap(soakRows);
      return rows.length
        ? {
            title: 'Soak',
            description:
              'Per runtime over the whole soak: well-behaved requests answered and failed (a failure is any non-2xx, error or timeout), faults the host counted (the faulty tenants), the serving processes’ RSS (and a V8 host’s live JS heap, after its last full collection) as the medians of the first and last quarter of the intervals, the worst interval p99, and whether the end conditions held.',
            header: HEADER,
            rows: rows.map(rowCells),
          }
        : undefined;
    },
  },
});
