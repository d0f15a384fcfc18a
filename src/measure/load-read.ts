// Load, as a kind (its settings) and as it reads: throughput and p99 per runtime, the CPU of
// client and server, and what limited each pass (its bottleneck, a category tallied over passes).
// Measuring is in load.ts.
import { z } from 'zod';
import { formatNumber, plural } from '../format.js';
import { severalSources, sourceLabel } from '../report/labels.js';
import { identityKey, runtimeLabel } from '../results/identity.js';
import type { RunResult, Sample, Summary } from '../results/types.js';
import { mergedFor } from '../stats/histograms.js';
import { latencyText, onLogAxis } from '../stats/latency.js';
import { formatSummaryMde } from '../stats/mde.js';
import { formatInterval } from '../stats/summarize.js';
import { textTable } from '../text-table.js';
import { CrossCheck, crossCheckProblems, wrkCells, wrkMetric } from './load-crosscheck.js';
import { type ChartSpec, defineMeasurement } from './types.js';

const LoadOptions = z
  .object({
    connections: z.number().int().min(1).max(10000).default(10).describe('Concurrent keep-alive connections of the load client.'),
    durationSec: z.number().min(1).max(3600).default(10).describe('Length of one measured load pass.'),
    warmupSec: z.number().min(0).max(600).default(2).describe('Load sent first and discarded.'),
    repetitions: z.number().int().min(1).max(100).default(3).describe('Measured passes per runtime; medians and CIs are over passes.'),
    pipelining: z.number().int().min(1).max(64).default(1).describe('Requests in flight per connection (closed model only).'),
    ratePerSec: z
      .number()
      .min(0.1)
      .max(1_000_000)
      .optional()
      .describe('Set: fixed-rate (open) model at this many requests per second, latency from intended send times. Unset: closed model (autocannon).'),
    tenants: z.number().int().min(1).max(10000).default(1).describe('Requests are spread across this many tenants.'),
    request: z
      .union([z.number().int().min(0).max(1000), z.record(z.string(), z.number().int().min(0).max(1000))])
      .default(0)
      .describe(
        "Which declared request to send (index into the workload's requests): one index for every workload, or per workload, e.g. { json: 2 } (others: 0).",
      ),
    cpuIsolation: z
      .boolean()
      .default(false)
      .describe('Pin servers to CPU 0 and the load client to CPU 1 (cpuset for containers, taskset for processes and Wasm hosts).'),
    clientBoundCpu: z
      .number()
      .min(0.1)
      .max(64)
      .default(0.9)
      .describe("A pass whose client used at least this many cores is flagged client-bound: its req/s is the client's ceiling."),
    serverBoundCpu: z.number().min(0.1).max(64).default(0.9).describe('A pass whose server used at least this many cores is labelled server-bound.'),
    crossCheck: CrossCheck,
  })
  .strict();
export type LoadOptions = z.infer<typeof LoadOptions>;

/** What limited a pass, from the CPU the client and the server used. */
export type Bottleneck = 'client-bound' | 'server-bound' | 'neither saturated';

export function bottleneck(clientCores: number, serverCores: number | undefined, options: Pick<LoadOptions, 'clientBoundCpu' | 'serverBoundCpu'>): Bottleneck {
  if (clientCores >= options.clientBoundCpu) return 'client-bound';
  if (serverCores !== undefined && serverCores >= options.serverBoundCpu) return 'server-bound';
  return 'neither saturated';
}

/** Bottlenecks from the least to the most telling: the worst over passes is shown, so one client-bound pass flags the row. */
const BOTTLENECKS: readonly Bottleneck[] = ['neither saturated', 'server-bound', 'client-bound'];

export const load = defineMeasurement({
  name: 'load',
  summary: "throughput and latency under load (closed model: autocannon; fixed rate: coldbench's open-loop client)",
  options: LoadOptions,
  owns: ['load'],

  checkWorkloads(options, workloads) {
    const problems = crossCheckProblems(options);
    if (typeof options.request === 'object') {
      for (const name of Object.keys(options.request)) {
        if (!workloads.some((w) => w.name === name)) problems.push(`measurements.load.request.${name}: not a workload of this scenario`);
      }
    }
    for (const workload of workloads) {
      const index = requestIndex(options, workload.name);
      if (index >= workload.requests.length) {
        problems.push(
          `measurements.load.request: workload ${workload.name} declares ${plural(workload.requests.length, 'request')} (indexes 0–${workload.requests.length - 1}), got ${index}`,
        );
      }
    }
    return problems;
  },

  read: {
    table(result) {
      const crossChecked = result.summaries.some((s) => s.measurement === 'load' && s.metric === wrkMetric('throughput'));
      const anyInterval = loadRows(result).some((row) => row.rps.ci95);
      const rows = loadRows(result).map((row) => {
        const merged = mergedFor(result.latencyHistograms, row.rps);
        return [
          row.workload,
          row.runtime,
          row.model,
          `${formatNumber(row.rps.median)} (${formatInterval(row.rps)}; ${formatSummaryMde(row.rps)})`,
          latencyText(row.p99),
          merged ? `${formatNumber(merged.p99)} / ${formatNumber(merged['p99.9'])}` : '-',
          ...(crossChecked ? row.wrk : []),
          formatNumber(row.clientCores),
          formatNumber(row.serverCores),
          row.bottleneck,
          row.bottleneck === 'client-bound' ? "req/s is the load client's ceiling, not the server's" : '',
        ];
      });
      return textTable(
        [
          'workload',
          'runtime',
          'model',
          `req/s (median, ${anyInterval ? '95% CI' : 'interval'}; detectable at 80/90% power)`,
          'p99 ms (median of passes)',
          'p99 / p99.9 ms (all requests)',
          ...(crossChecked ? ['wrk req/s (median)', 'wrk p99 ms (median)'] : []),
          'client cores',
          'server cores',
          'bottleneck',
          'note',
        ],
        rows,
      );
    },

    charts(results) {
      const values = results.flatMap((r) =>
        loadRows(r).map((row) => ({
          source: sourceLabel(r, results),
          workload: row.workload,
          runtime: row.runtime,
          rps: onLogAxis(row.rps.median),
          p99: onLogAxis(row.p99?.median),
          bottleneck: row.bottleneck,
        })),
      );
      if (values.length === 0) return [];
      const layer = {
        width: 480,
        height: 280,
        mark: { type: 'point', filled: true, size: 90 },
        encoding: {
          x: { field: 'p99', type: 'quantitative', scale: { type: 'log' }, title: 'p99 latency (ms, log scale)' },
          y: { field: 'rps', type: 'quantitative', scale: { type: 'log' }, title: 'requests per second (log scale)' },
          color: { field: 'runtime', type: 'nominal', title: 'runtime' },
          shape: { field: 'workload', type: 'nominal', title: 'workload' },
          opacity: {
            field: 'bottleneck',
            // Ordinal, in the domain's order: from the most to the least trustworthy req/s.
            type: 'ordinal',
            scale: { domain: ['server-bound', 'neither saturated', 'neither saturated (machine busy)', 'client-bound'], range: [1, 0.7, 0.5, 0.35] },
            title: 'bottleneck',
          },
          tooltip: [{ field: 'workload' }, { field: 'runtime' }, { field: 'rps', format: '.3~s' }, { field: 'p99', format: '.3~g' }, { field: 'bottleneck' }],
        },
      } as const;
      const spec: ChartSpec = {
        id: 'load',
        spec: {
          $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
          title: 'Throughput and p99 latency under load (medians over passes)',
          data: { values },
          ...(severalSources(results) ? { facet: { column: { field: 'source', type: 'nominal', title: null } }, spec: layer } : layer),
        } as ChartSpec['spec'],
      };
      return [spec];
    },

    judge(sample) {
      if (sample.measurement !== 'load') return undefined;
      const metric = sample.metric.replace(/^wrk-/, '');
      if (metric === 'throughput') return 'higher';
      return metric === 'latency-p50' || metric === 'latency-p99' ? 'lower' : undefined;
    },

    summaryRows(result, scope) {
      const shown =
        scope === 'all'
          ? ['throughput', 'latency-p50', 'latency-p99', 'client-cpu', 'server-cpu', wrkMetric('throughput'), wrkMetric('latency-p99')]
          : ['throughput', 'latency-p99'];
      return result.summaries.filter((s) => s.measurement === 'load' && shown.includes(s.metric));
    },

    headlines(result) {
      return loadRows(result).map(
        (row) =>
          `${row.workload}: ${row.runtime} served ${formatNumber(row.rps.median)} req/s (${row.model} model, p99 ${latencyText(row.p99)} ms, ${row.bottleneck})${row.wrk[0] === '-' ? '' : `; wrk measured ${row.wrk[0]} req/s, p99 ${row.wrk[1]} ms`}.`,
      );
    },
  },
});

/** The index of the declared request a workload is loaded with. */
export function requestIndex(options: Pick<LoadOptions, 'request'>, workload: string): number {
  return typeof options.request === 'number' ? options.request : (options.request[workload] ?? 0);
}

interface LoadRow {
  workload: string;
  runtime: string;
  model: string;
  rps: Summary;
  p99?: Summary;
  clientCores?: number;
  serverCores?: number;
  bottleneck: Bottleneck | 'neither saturated (machine busy)';
  /** wrk's median req/s and p99 (ms) when the load was cross-checked, else '-'. */
  wrk: [string, string];
}

/** The most telling bottleneck the passes saw (neither saturated when none was recorded). */
function worstBottleneck(samples: Sample[]): Bottleneck {
  const seen = samples.map((s) => BOTTLENECKS.indexOf(s.category as Bottleneck));
  return BOTTLENECKS[Math.max(0, ...seen)]!;
}

/** One row per workload, runtime and tenant count: throughput with its p99, CPU and bottleneck. */
function loadRows(result: Pick<RunResult, 'summaries' | 'samples' | 'noise'>): LoadRow[] {
  const summaries = result.summaries.filter((s) => s.measurement === 'load');
  const busy = (workload: string) => result.noise?.some((n) => n.measurement === 'load' && n.workload === workload && n.busy) ?? false;
  const sameRow = (rps: Summary) => (s: Summary | Sample) =>
    s.workload === rps.workload && identityKey(s) === identityKey(rps) && s.tenants === rps.tenants && s.model === rps.model;
  return summaries
    .filter((s) => s.metric === 'throughput')
    .map((rps) => {
      const pick = (metric: string) => summaries.find((s) => s.metric === metric && sameRow(rps)(s));
      const name = worstBottleneck(result.samples.filter((s) => s.measurement === 'load' && s.metric === 'bottleneck' && sameRow(rps)(s)));
      return {
        workload: rps.workload,
        runtime: runtimeLabel(rps),
        model: rps.model ?? '-',
        rps,
        p99: pick('latency-p99'),
        clientCores: pick('client-cpu')?.median,
        serverCores: pick('server-cpu')?.median,
        // Neither saturated: say whether the machine was busy, the likely reason.
        bottleneck: name === 'neither saturated' && busy(rps.workload) ? ('neither saturated (machine busy)' as const) : name,
        wrk: wrkCells(pick),
      };
    })
    .sort((a, b) => a.workload.localeCompare(b.workload) || a.runtime.localeCompare(b.runtime));
}
