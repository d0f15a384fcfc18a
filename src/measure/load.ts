// Throughput and latency under load: per runtime, deploy N tenants, warm up, then run measured
// passes from the load worker's own process. Each pass records req/s, latency percentiles,
// errors, bytes, the CPU of client and server, and what limited it (client, server or neither).
import { z } from 'zod';
import { formatNumber, plural } from '../format.js';
import { severalSources, sourceLabel } from '../report/labels.js';
import { runtimeLabel } from '../results/identity.js';
import { driverContext, makeSample, runtimeIdentity, tenantIdFor } from '../results/sample.js';
import type { RunResult, Summary } from '../results/types.js';
import { timeoutScale } from '../runtimes/platform.js';
import type { Deployment, RuntimeDriver } from '../runtimes/types.js';
import { mergedFor } from '../stats/histograms.js';
import { latencyText, onLogAxis } from '../stats/latency.js';
import { formatInterval } from '../stats/summarize.js';
import { textTable } from '../text-table.js';
import { runLoadPass } from './load-client.js';
import { CrossCheck, checkCrossCheck, crossCheckProblems, withCrossCheck, wrkCells, wrkMetric, wrkValues } from './load-crosscheck.js';
import { serverCpuOverPass } from './load-server-cpu.js';
import type { LoadPass, LoadPassConfig } from './load-types.js';
import { untilAnswering } from './probe-tenant.js';
import { shuffled } from './shuffle.js';
import { type ChartSpec, defineMeasurement, type MeasureContext } from './types.js';
import type { WrkPass } from './wrk.js';

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

// Stored as a number per pass; the largest over passes is shown, so one client-bound pass flags the row.
const BOTTLENECK_CODE: Record<Bottleneck, number> = { 'neither saturated': 0, 'server-bound': 1, 'client-bound': 2 };

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

  async run(context) {
    const { artifacts, options } = context;
    const request = artifacts.workload.requests[requestIndex(options, artifacts.workload.name)];
    if (!request) throw new Error(`load.request: workload ${artifacts.workload.name} has no request ${requestIndex(options, artifacts.workload.name)}`);
    await checkCrossCheck(options.crossCheck);
    for (const driver of shuffled(context.drivers)) {
      context.signal.throwIfAborted();
      const deployments: Deployment[] = [];
      try {
        for (let i = 0; i < options.tenants; i++) {
          const deployment = await driver.deploy(artifacts, tenantIdFor(artifacts.workload.name, driver, `load-${i}`));
          deployments.push(deployment);
          await untilAnswering(deployment, request, 15000 * timeoutScale(driver.platform), context.signal);
        }
        const config: LoadPassConfig = {
          urls: deployments.map((d) => d.baseUrl + request.path),
          method: request.method,
          body: request.body,
          headers: request.headers,
          connections: options.connections,
          pipelining: options.pipelining,
          durationSec: options.durationSec,
          timeoutMs: 10000,
          ratePerSec: options.ratePerSec,
        };
        const worker = { cpus: context.clientCpus, signal: context.signal, runId: context.runId };
        if (options.warmupSec > 0) await runLoadPass({ ...config, durationSec: options.warmupSec }, worker);
        for (let repetition = 0; repetition < options.repetitions; repetition++) {
          context.signal.throwIfAborted();
          const measured = await withCrossCheck(options.crossCheck, repetition, config, worker, async () => {
            const before = await driver.cpuSeconds?.(deployments);
            const pass = await runLoadPass(config, worker);
            return { pass, server: serverCpuOverPass(before, await driver.cpuSeconds?.(deployments), pass.durationSec, pass.requests) };
          });
          const { pass, server } = measured.pass;
          if (server && 'impossible' in server) {
            await context.onWarning({
              kind: 'impossible-reading',
              workload: artifacts.workload.name,
              ...runtimeIdentity(driver),
              message: `${artifacts.workload.name} load on ${runtimeLabel(runtimeIdentity(driver))}, pass ${repetition + 1}: server CPU not recorded (${server.impossible}); the bottleneck is judged from the client alone`,
            });
          }
          const serverCores = server && 'cores' in server ? server.cores : undefined;
          await context.onSamples(passSamples(context, driver, repetition, pass, serverCores, measured.wrk));
          if (pass.latencyHistogram) {
            await context.onHistogram({
              workload: artifacts.workload.name,
              ...runtimeIdentity(driver),
              tenants: options.tenants,
              model: pass.model,
              iteration: repetition,
              encoded: pass.latencyHistogram,
            });
          }
          context.onProgress(
            `  ${artifacts.workload.name} on ${runtimeLabel(runtimeIdentity(driver))}: ${formatNumber(pass.requestsPerSec)} req/s, p99 ${formatNumber(pass.latencyMs.p99)} ms (pass ${repetition + 1}/${options.repetitions})`,
          );
        }
      } finally {
        for (const deployment of deployments) await driver.teardown(deployment);
      }
    }
  },

  table(result) {
    const summaries = result.summaries.filter((s) => s.measurement === 'load');
    if (summaries.length === 0) return undefined;
    const crossChecked = summaries.some((s) => s.metric === wrkMetric('throughput'));
    const rows = loadRows(summaries, result).map((row) => {
      const merged = mergedFor(result.latencyHistograms, row.rps);
      return [
        row.workload,
        row.runtime,
        row.model,
        `${formatNumber(row.rps.median)} (${formatInterval(row.rps)})`,
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
        'req/s (median, 95% CI)',
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
      loadRows(
        r.summaries.filter((s) => s.measurement === 'load'),
        r,
      ).map((row) => ({
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
          type: 'nominal',
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
    return loadRows(
      result.summaries.filter((s) => s.measurement === 'load'),
      result,
    ).map(
      (row) =>
        `${row.workload}: ${row.runtime} served ${formatNumber(row.rps.median)} req/s (${row.model} model, p99 ${latencyText(row.p99)} ms, ${row.bottleneck})${row.wrk[0] === '-' ? '' : `; wrk measured ${row.wrk[0]} req/s, p99 ${row.wrk[1]} ms`}.`,
    );
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

/** One row per workload, runtime and tenant count: throughput with its p99, CPU and bottleneck. */
function loadRows(summaries: Summary[], result?: Pick<RunResult, 'noise'>): LoadRow[] {
  const busy = (workload: string) => result?.noise?.some((n) => n.measurement === 'load' && n.workload === workload && n.busy) ?? false;
  return summaries
    .filter((s) => s.metric === 'throughput')
    .map((rps) => {
      const pick = (metric: string) =>
        summaries.find((s) => s.metric === metric && s.workload === rps.workload && runtimeLabel(s) === runtimeLabel(rps) && s.tenants === rps.tenants);
      const code = pick('bottleneck')?.max ?? 0;
      const name = (Object.entries(BOTTLENECK_CODE).find(([, c]) => c === code)?.[0] ?? 'neither saturated') as Bottleneck;
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

function passSamples(
  context: MeasureContext<LoadOptions>,
  driver: RuntimeDriver,
  iteration: number,
  pass: LoadPass,
  serverCores: number | undefined,
  wrk: WrkPass | undefined,
) {
  const clientCores = pass.clientCpuSec / pass.durationSec;
  const values: [string, string, number][] = [
    ['throughput', 'req/s', pass.requestsPerSec],
    ['latency-p50', 'ms', pass.latencyMs.p50],
    ['latency-p90', 'ms', pass.latencyMs.p90],
    ['latency-p99', 'ms', pass.latencyMs.p99],
    ['latency-p99.9', 'ms', pass.latencyMs['p99.9']],
    ['latency-max', 'ms', pass.latencyMs.max],
    ['requests', 'count', pass.requests],
    ['errors', 'count', pass.errors],
    ['timeouts', 'count', pass.timeouts],
    ['non-2xx', 'count', pass.non2xx],
    ['bytes', 'bytes', pass.bytes],
    ['client-cpu', 'cores', clientCores],
    ['bottleneck', 'code', BOTTLENECK_CODE[bottleneck(clientCores, serverCores, context.options)]],
  ];
  if (serverCores !== undefined) values.push(['server-cpu', 'cores', serverCores]);
  if (pass.clientLagMs !== undefined) values.push(['client-lag', 'ms', pass.clientLagMs]);
  if (wrk) values.push(...wrkValues(wrk));
  const sampleContext = driverContext(context.scenario, context.artifacts.workload.name, driver);
  return values.map(([metric, unit, value]) =>
    makeSample(sampleContext, {
      measurement: 'load',
      tenants: context.options.tenants,
      iteration,
      model: pass.model,
      metric,
      unit,
      value,
    }),
  );
}
