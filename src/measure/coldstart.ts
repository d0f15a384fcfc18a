// Cold start: from the driver's deploy call to the first 2xx with the expected body on the
// tenant's URL, with each phase timed on its own. Runtimes are interleaved in shuffled order
// every iteration; warm-ups run first and are discarded. Once per run, the prober's own floor.
// It also owns the runner's "setup" samples (once-per-run phases such as host start, compile).
import { performance } from 'node:perf_hooks';
import { z } from 'zod';
import { formatNumber } from '../format.js';
import { severalSources, sourceLabel } from '../report/labels.js';
import { runtimeLabel } from '../results/identity.js';
import { driverContext, harnessContext, makeSample, tenantIdFor } from '../results/sample.js';
import type { RunResult, Sample, Summary } from '../results/types.js';
import { timeoutScale } from '../runtimes/platform.js';
import { phaseOrder, phaseRank, runtimeDescriptors } from '../runtimes/registry.js';
import type { RuntimeDriver } from '../runtimes/types.js';
import { span, times } from '../stats/compare.js';
import { formatCv, formatInterval } from '../stats/summarize.js';
import { type RatioEstimate, ratioOfMedians } from '../stats/verdicts.js';
import { textTable } from '../text-table.js';
import type { WorkloadArtifacts } from '../workloads/artifacts.js';
import { PROBER_WAITS, type Prober, startProber } from './native-prober.js';
import { harnessPhase, proberDeployedColdStart } from './probe-deploy.js';
import { detectionSamples, measureProbeDetection } from './probe-detection.js';
import { measureProbeFloor, runFloorMs } from './probe-floor.js';
import { probeTenant } from './probe-tenant.js';
import { shuffled } from './shuffle.js';
import { type ChartSpec, defineMeasurement } from './types.js';

const ColdStartOptions = z
  .object({
    iterations: z.number().int().min(1).max(10000).default(10).describe('Measured cold starts per runtime and workload.'),
    warmup: z.number().int().min(0).max(1000).default(2).describe('Cold starts run first and discarded (they fill caches: images, compiled modules).'),
    timeoutMs: z
      .number()
      .int()
      .min(100)
      .max(600000)
      .default(15000)
      .describe('Give up on one cold start when no expected response came within this time (ten times this on an emulated platform).'),
    probeFloorSamples: z.number().int().min(1).max(10000).default(50).describe("Probes of an already-listening server, to measure the prober's own floor."),
    prober: z
      .enum(['native', 'node'])
      .default('native')
      .describe(
        'What asks for the first response: "native", a C prober in a process of its own (floor ~0.1 ms; built with cc), or "node", the harness\'s Node HTTP client (floor ~1 ms).',
      ),
    proberWait: z
      .enum(PROBER_WAITS)
      .default('listen')
      .describe(
        'How the native prober waits while a port refuses: "listen" sleeps until a socket starts listening (a kernel tracepoint; needs root, else it backs off), "backoff" sleeps 10 µs doubling to 1 ms, "spin" retries at once (most of a core).',
      ),
    probeDetectionSamples: z
      .number()
      .int()
      .min(0)
      .max(1000)
      .default(10)
      .describe("Probes of a target that listens after probeDetectionDelayMs, to measure the prober's detection error and its CPU while waiting."),
    probeDetectionDelayMs: z.number().min(1).max(10000).default(20).describe('How long the detection target waits before it listens.'),
  })
  .strict();
export type ColdStartOptions = z.infer<typeof ColdStartOptions>;

export const coldstart = defineMeasurement({
  name: 'coldstart',
  summary: 'deploy to first expected response, phase by phase',
  options: ColdStartOptions,
  owns: ['coldstart', 'setup', 'probe-floor'],

  async beforeRun({ scenario, runId, options, signal }) {
    const floor = await measureProbeFloor(runId, options.probeFloorSamples, options.prober, signal);
    const detection = await measureProbeDetection(
      runId,
      options.probeDetectionSamples,
      options.prober,
      options.proberWait,
      options.probeDetectionDelayMs,
      signal,
    );
    return [
      ...detectionSamples(scenario, detection),
      ...floor.map((value, iteration) =>
        makeSample(harnessContext(scenario), {
          measurement: 'probe-floor',
          tenants: 1,
          iteration,
          phase: 'probe-floor',
          metric: 'duration',
          unit: 'ms',
          value,
        }),
      ),
    ];
  },

  async run(context) {
    const { options, artifacts } = context;
    const total = options.warmup + options.iterations;
    const prober = await startProber(options.prober, context.runId, options.proberWait);
    try {
      for (let round = 0; round < total; round++) {
        const warmup = round < options.warmup;
        for (const driver of shuffled(context.drivers)) {
          context.signal.throwIfAborted();
          const tenantId = tenantIdFor(artifacts.workload.name, driver, String(round));
          const timeoutMs = options.timeoutMs * timeoutScale(driver.platform);
          const planned = prober.deployAndProbe && driver.proberDeploy?.(artifacts, tenantId);
          const phases = planned
            ? await proberDeployedColdStart(
                driver,
                planned,
                prober as Required<Prober>,
                artifacts.workload.requests[0]!,
                timeoutMs,
                runFloorMs(context.runId),
                context.signal,
              )
            : await coldStartOnce(driver, artifacts, tenantId, prober, timeoutMs, context.signal, runFloorMs(context.runId));
          if (warmup) continue;
          const sampleContext = driverContext(context.scenario, artifacts.workload.name, driver);
          await context.onSamples(
            phases.map(({ phase, ms, ahead }) =>
              makeSample(sampleContext, {
                // Work done before the measured window (a pre-created container's create) is set-up, outside total.
                measurement: ahead ? 'setup' : 'coldstart',
                tenants: 1,
                iteration: round - options.warmup,
                phase,
                metric: 'duration',
                unit: 'ms',
                value: ms,
              }),
            ),
          );
        }
        context.onProgress(
          warmup
            ? `  ${artifacts.workload.name}: warm-up ${round + 1}/${options.warmup}`
            : `  ${artifacts.workload.name}: iteration ${round - options.warmup + 1}/${options.iterations}`,
        );
      }
    } finally {
      await prober.close();
    }
  },

  table(result) {
    const rows = result.summaries.filter((s) => this.owns.includes(s.measurement));
    if (rows.length === 0) return undefined;
    rows.sort(
      (a, b) =>
        a.workload.localeCompare(b.workload) || runtimeLabel(a).localeCompare(runtimeLabel(b)) || phaseRank(a.phase, a.runtime) - phaseRank(b.phase, b.runtime),
    );
    return textTable(
      ['workload', 'runtime', 'phase', 'n', 'median ms', '95% CI of median, ms', 'min–max ms', 'cv'],
      rows.map((s) => [
        s.workload,
        runtimeLabel(s),
        s.measurement === 'setup' ? `${s.phase} (once)` : (s.phase ?? '-'),
        String(s.n),
        formatNumber(s.median),
        formatInterval(s),
        `${formatNumber(s.min)}–${formatNumber(s.max)}`,
        formatCv(s),
      ]),
      new Set([3, 4, 6, 7]),
    );
  },

  charts(results) {
    return [coldStartChart(results), phaseChart(results)].filter((c): c is ChartSpec => c !== undefined);
  },

  judge(sample) {
    // The prober's floor and once-per-run set-up phases are context, not something to gate on.
    return sample.measurement === 'coldstart' ? 'lower' : undefined;
  },

  summaryRows(result, scope) {
    return result.summaries.filter((s) => this.owns.includes(s.measurement) && (scope === 'all' || s.phase === 'total' || s.measurement === 'setup'));
  },

  headlines(result, { baseline }) {
    const base = baseline ?? slowestRuntime(result);
    return base ? baselineStatements(result, base).map((s) => s.sentence) : [];
  },
});

// first-response is the prober's own timing of its probing; total is the harness's clock around
// deploy and probe, so it also holds the prober's round trip (the floor). A Wasm cold start also
// records what the harness added (harness: total − its phases − the floor).
async function coldStartOnce(
  driver: RuntimeDriver,
  artifacts: WorkloadArtifacts,
  tenantId: string,
  prober: Prober,
  timeoutMs: number,
  signal: AbortSignal,
  floorMs: number,
) {
  const started = performance.now();
  const deployment = await driver.deploy(artifacts, tenantId);
  try {
    const { ms } = await probeTenant(prober, deployment, artifacts.workload.requests[0]!, timeoutMs, signal);
    const total = performance.now() - started;
    const harness = runtimeDescriptors().find((r) => r.name === driver.name)?.family === 'wasm' ? [harnessPhase(deployment.phases, total, floorMs)] : [];
    return [...deployment.phases, { phase: 'first-response', ms }, ...harness, { phase: 'total', ms: total }];
  } finally {
    await driver.teardown(deployment);
  }
}

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/**
 * The column a chart puts a sample in: its source when there are several, and its architecture
 * when some samples ran emulated (emulated timings sit beside, never among, hardware timings).
 */
function columnOf(results: RunResult[]): ((r: RunResult, s: Pick<Sample, 'arch' | 'emulated'>) => string) | undefined {
  const several = severalSources(results);
  const emulation = results.some((r) => r.samples.some((s) => s.emulated));
  if (!several && !emulation) return undefined;
  return (r, s) =>
    [
      several ? sourceLabel(r, results) : undefined,
      emulation ? (s.emulated ? `${s.arch} (emulated)` : `${s.arch ?? r.fingerprint.arch} (this machine)`) : undefined,
    ]
      .filter((part) => part !== undefined)
      .join(' · ');
}

/** Cold start per runtime and workload as a distribution: every sample, over a box plot. */
function coldStartChart(results: RunResult[]): ChartSpec | undefined {
  const column = columnOf(results);
  const values = results.flatMap((r) =>
    r.samples
      .filter((s) => s.measurement === 'coldstart' && s.phase === 'total')
      .map((s) => ({ source: column?.(r, s) ?? '', workload: s.workload, runtime: runtimeLabel(s), ms: s.value })),
  );
  if (values.length === 0) return undefined;
  const x = { field: 'ms', type: 'quantitative', scale: { type: 'log' }, title: 'deploy to first expected response (ms, log scale)' } as const;
  const y = { field: 'runtime', type: 'nominal', title: null } as const;
  return {
    id: 'coldstart',
    spec: {
      $schema: SCHEMA,
      title: 'Cold start, every measured iteration',
      data: { values },
      facet: { row: { field: 'workload', type: 'nominal', title: null }, ...(column ? { column: { field: 'source', type: 'nominal', title: null } } : {}) },
      resolve: { scale: { y: 'independent' } },
      spec: {
        width: 480,
        height: { step: 22 },
        layer: [
          { mark: { type: 'boxplot', extent: 'min-max', opacity: 0.25, ticks: false }, encoding: { x, y, color: { field: 'runtime', legend: null } } },
          {
            mark: { type: 'point', opacity: 0.7, size: 28 },
            encoding: { x, y, color: { field: 'runtime', title: 'runtime' }, tooltip: [{ field: 'runtime' }, { field: 'ms', format: '.3~g' }] },
          },
        ],
      },
    },
  };
}

/**
 * Where cold start goes: the median of each phase, per tenant; once-per-run set-up phases (host
 * start, compile) as bars of their own in a panel with its own scale, since a compile of seconds
 * would flatten every per-tenant bar.
 */
function phaseChart(results: RunResult[]): ChartSpec | undefined {
  const order = phaseOrder();
  const column = columnOf(results);
  const values = results.flatMap((r) =>
    r.summaries
      // harness overlaps first-response (it is total − the phases − the floor): not a slice of the stack
      .filter((s) => (s.measurement === 'coldstart' && s.phase !== 'total' && s.phase !== 'harness') || s.measurement === 'setup')
      .map((s) => ({
        source: column?.(r, s) ?? '',
        workload: s.workload,
        panel: `${s.workload} · ${s.measurement === 'setup' ? 'once per run' : 'per tenant'}`,
        bar: runtimeLabel(s),
        phase: s.phase ?? '-',
        step: phaseRank(s.phase, s.runtime),
        ms: s.median,
      })),
  );
  if (values.length === 0) return undefined;
  return {
    id: 'phases',
    spec: {
      $schema: SCHEMA,
      title: 'Cold start by phase (medians, in the order they happen; once-per-run costs in their own panel)',
      data: { values },
      facet: { row: { field: 'panel', type: 'nominal', title: null }, ...(column ? { column: { field: 'source', type: 'nominal', title: null } } : {}) },
      resolve: { scale: { x: 'independent', y: 'independent' } },
      spec: {
        width: 480,
        height: { step: 22 },
        mark: 'bar',
        encoding: {
          x: { field: 'ms', type: 'quantitative', title: 'median per phase (ms)' },
          y: { field: 'bar', type: 'nominal', title: null },
          color: { field: 'phase', type: 'nominal', title: 'phase', sort: order, legend: { columns: 2 } },
          order: { field: 'step', type: 'quantitative' },
          tooltip: [{ field: 'bar', title: 'runtime' }, { field: 'phase' }, { field: 'ms', format: '.3~g' }],
        },
      },
    },
  };
}

export interface BaselineStatement {
  workload: string;
  runtime: string;
  baseline: string;
  estimate: RatioEstimate; // median(runtime) / median(baseline)
  sentence: string;
}

/** The runtime whose median cold start is slowest (on the machine's own architecture when it was measured): the natural "compared with" for the others. */
export function slowestRuntime(result: RunResult): string | undefined {
  const totals: Summary[] = result.summaries.filter((s) => s.measurement === 'coldstart' && s.phase === 'total');
  const native = totals.filter((s) => !s.emulated);
  const slowest = (native.length ? native : totals).sort((x, y) => y.median - x.median)[0];
  return slowest ? runtimeLabel(slowest) : undefined;
}

/** What runtimeLabel adds for an emulated architecture: ratios are taken within one architecture only. */
const EMULATED_SUFFIX = / on \S+ \(emulated\)$/;
const platformSuffix = (s: Pick<Sample, 'arch' | 'emulated'>) => (s.emulated ? ` on ${s.arch} (emulated)` : '');

/**
 * "wasm reached first response 38× sooner than docker (95% CI 31–45×)", per workload and runtime,
 * and per architecture: an emulated architecture's runtimes against the baseline on that architecture.
 */
export function baselineStatements(result: RunResult, baseline: string): BaselineStatement[] {
  const statements: BaselineStatement[] = [];
  const totals = result.samples.filter((s) => s.measurement === 'coldstart' && s.phase === 'total');
  for (const workload of [...new Set(totals.map((s) => s.workload))]) {
    for (const suffix of [...new Set(totals.filter((s) => s.workload === workload).map(platformSuffix))]) {
      const mine = totals.filter((s) => s.workload === workload && platformSuffix(s) === suffix);
      const baseLabel = baseline.replace(EMULATED_SUFFIX, '') + suffix;
      const base = mine.filter((s) => runtimeLabel(s) === baseLabel).map((s) => s.value);
      if (base.length === 0) continue;
      for (const runtime of [...new Set(mine.map(runtimeLabel))].filter((r) => r !== baseLabel)) {
        const values = mine.filter((s) => runtimeLabel(s) === runtime).map((s) => s.value);
        const estimate = ratioOfMedians(base, values);
        statements.push({ workload, runtime, baseline: baseLabel, estimate, sentence: coldStartSentence(workload, runtime, baseLabel, estimate) });
      }
    }
  }
  return statements;
}

function coldStartSentence(workload: string, runtime: string, baseline: string, estimate: RatioEstimate): string {
  const [low, high] = estimate.ci95;
  if (low <= 1 && high >= 1) {
    return `${workload}: ${runtime} and ${baseline} reached first response in times we cannot tell apart (${times(estimate.ratio)} of ${baseline}'s, 95% CI ${span(low, high)}).`;
  }
  if (estimate.ratio < 1) {
    return `${workload}: ${runtime} reached first response ${times(1 / estimate.ratio)} sooner than ${baseline} (95% CI ${span(1 / high, 1 / low)}).`;
  }
  return `${workload}: ${runtime} reached first response ${times(estimate.ratio)} later than ${baseline} (95% CI ${span(low, high)}).`;
}
