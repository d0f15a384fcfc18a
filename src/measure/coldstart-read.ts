// Cold start, as a kind (its settings) and as it reads: the terminal table, the distribution and
// phase charts, the direction `compare` judges, and the "N× sooner than the slowest" sentences.
// Measuring is in coldstart.ts. Pure: records are matched by identity, never by their labels.
import { z } from 'zod';
import { formatNumber } from '../format.js';
import { severalSources, sourceLabel } from '../report/labels.js';
import { type Identified, identityKey, identityOf, runtimeLabel } from '../results/identity.js';
import type { RunResult, Sample, Summary } from '../results/types.js';
import { span, times } from '../stats/compare.js';
import { hasInterval, INTERVAL_MIN_VALUES, intervalHeader } from '../stats/honest.js';
import { formatSummaryMde, MDE_HEADER } from '../stats/mde.js';
import { formatCv, formatInterval } from '../stats/summarize.js';
import { type RatioEstimate, ratioOfMedians } from '../stats/verdicts.js';
import { textTable } from '../text-table.js';
import type { ProberWait } from './native-prober.js';
import { REFERENCE_MEASUREMENT, referenceSentences } from './reference-read.js';
import { type Baseline, type ChartSpec, defineMeasurement } from './types.js';

/** How the native prober may wait (native-prober.ts, which this file does not load, checks the list by type). */
const PROBER_WAITS = ['listen', 'backoff', 'spin'] as const;

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
      .enum(PROBER_WAITS satisfies readonly ProberWait[])
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
    until: z
      .object({
        relativeWidth: z
          .number()
          .min(0.001)
          .max(10)
          .describe("Stop a runtime once its median total's 95% interval is at most this wide, relative to the median (0.05 = 5%)."),
        budgetSec: z
          .number()
          .int()
          .min(1)
          .max(86400)
          .optional()
          .describe("Stop every runtime still running once a workload's cold starts have taken this long."),
      })
      .strict()
      .optional()
      .describe('Sequential mode: measure each runtime until its interval is tight enough (or the budget ends); `iterations` is then the most per runtime.'),
  })
  .strict();
export type ColdStartOptions = z.infer<typeof ColdStartOptions>;

/** Cold start's own samples, the runner's once-per-run set-up phases, and the prober's floor. */
const OWNS = ['coldstart', 'setup', 'probe-floor', REFERENCE_MEASUREMENT] as const;

export const coldstart = defineMeasurement({
  name: 'coldstart',
  summary: 'deploy to first expected response, phase by phase',
  options: ColdStartOptions,
  owns: OWNS,
  read: {
    table(result) {
      const rows = result.summaries.filter((s) => owned(s));
      if (rows.length === 0) return undefined;
      const rank = phaseRanker([result]);
      rows.sort((a, b) => a.workload.localeCompare(b.workload) || runtimeLabel(a).localeCompare(runtimeLabel(b)) || rank(a) - rank(b));
      return textTable(
        ['workload', 'runtime', 'phase', 'n', 'median ms', `${intervalHeader(rows.some((s) => s.ci95))}, ms`, 'min–max ms', 'cv', MDE_HEADER],
        rows.map((s) => [
          s.workload,
          runtimeLabel(s),
          s.measurement === 'setup' ? `${s.phase} (once)` : (s.phase ?? '-'),
          String(s.n),
          formatNumber(s.median),
          formatInterval(s),
          `${formatNumber(s.min)}–${formatNumber(s.max)}`,
          formatCv(s),
          formatSummaryMde(s),
        ]),
        new Set([3, 4, 6, 7, 8]),
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
      return result.summaries.filter((s) => owned(s) && (scope === 'all' || s.phase === 'total' || s.measurement === 'setup'));
    },

    headlines(result, { baseline }) {
      const base = baseline ?? slowestRuntime(result);
      return [...(base ? baselineStatements(result, base).map((s) => s.sentence) : []), ...stopSentences(result), ...referenceSentences(result)];
    },
  },
});

/** The metric of the sequential mode's record of why a runtime stopped (a category: interval, budget or iterations). */
export const STOPPED_BY_METRIC = 'stopped-by';

/** "hello: process stopped after 43 cold starts: its median's 95% interval was within 5%." (sequential mode only) */
function stopSentences(result: RunResult): string[] {
  const width = (result.scenario.measurements.coldstart as { until?: { relativeWidth: number } } | undefined)?.until?.relativeWidth;
  const within = width === undefined ? 'the target' : `${formatNumber(width * 100)}%`;
  return result.samples
    .filter((s) => s.measurement === 'coldstart' && s.metric === STOPPED_BY_METRIC)
    .map((s) => {
      const why =
        s.category === 'interval'
          ? `its median's 95% interval was within ${within}`
          : s.category === 'budget'
            ? `the time budget ended before its median's interval was within ${within}`
            : `it reached the most iterations before its median's interval was within ${within}`;
      return `${s.workload}: ${runtimeLabel(s)} stopped after ${s.iteration} cold starts: ${why}.`;
    });
}

function owned(s: Pick<Sample, 'measurement'>): boolean {
  return (OWNS as readonly string[]).includes(s.measurement);
}

/**
 * Phases in the order they happened, from the order the samples were recorded (a driver reports
 * its phases in order, then first-response and total), once-per-run set-up phases first: per
 * runtime for tables and bars, and over all runtimes for the chart's legend.
 */
function phaseOrders(results: RunResult[]): { overall: string[]; of(runtime: string | null): string[] } {
  const overall: string[] = [];
  const byRuntime = new Map<string, string[]>();
  const timed = results.flatMap((r) => r.samples).filter((s) => owned(s) && s.phase !== undefined);
  for (const s of [...timed.filter((x) => x.measurement === 'setup'), ...timed.filter((x) => x.measurement !== 'setup')]) {
    const own = byRuntime.get(s.runtime ?? '') ?? [];
    for (const order of [overall, own]) if (!order.includes(s.phase!)) order.push(s.phase!);
    byRuntime.set(s.runtime ?? '', own);
  }
  return { overall, of: (runtime) => byRuntime.get(runtime ?? '') ?? overall };
}

/** Where a summary's phase sorts within its runtime's phases (unknown phases last). */
function phaseRanker(results: RunResult[]): (s: Pick<Sample, 'phase' | 'runtime'>) => number {
  const orders = phaseOrders(results);
  return (s) => {
    const order = orders.of(s.runtime);
    const at = order.indexOf(s.phase ?? '');
    return at < 0 ? order.length : at;
  };
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
  const order = phaseOrders(results).overall;
  const rank = phaseRanker(results);
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
        step: rank(s),
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
export function slowestRuntime(result: RunResult): Baseline | undefined {
  const totals: Summary[] = result.summaries.filter((s) => s.measurement === 'coldstart' && s.phase === 'total');
  const native = totals.filter((s) => !s.emulated);
  const slowest = (native.length ? native : totals).sort((x, y) => y.median - x.median)[0];
  return slowest ? withoutPlatform(slowest) : undefined;
}

function withoutPlatform(item: Identified): Baseline {
  const { arch: _arch, emulated: _emulated, ...rest } = identityOf(item);
  return rest;
}

/** The platform a sample ran on, as far as comparisons go: an emulated architecture, or the machine's own. */
const platformKey = (s: Pick<Sample, 'arch' | 'emulated'>) => (s.emulated ? (s.arch ?? '') : '');

/**
 * "wasm reached first response 38× sooner than docker (95% CI 31–45×)", per workload and runtime,
 * and per architecture: an emulated architecture's runtimes against the baseline on that architecture.
 */
export function baselineStatements(result: RunResult, baseline: Baseline): BaselineStatement[] {
  const statements: BaselineStatement[] = [];
  const totals = result.samples.filter((s) => s.measurement === 'coldstart' && s.phase === 'total');
  for (const workload of [...new Set(totals.map((s) => s.workload))]) {
    for (const platform of [...new Set(totals.filter((s) => s.workload === workload).map(platformKey))]) {
      const mine = totals.filter((s) => s.workload === workload && platformKey(s) === platform);
      const baseSamples = mine.filter((s) => identityKey(withoutPlatform(s)) === identityKey(baseline));
      if (baseSamples.length === 0) continue;
      const baseKey = identityKey(baseSamples[0]!);
      const baseLabel = runtimeLabel(baseSamples[0]!);
      const others = new Map<string, Sample[]>();
      for (const s of mine.filter((x) => identityKey(x) !== baseKey)) others.set(identityKey(s), [...(others.get(identityKey(s)) ?? []), s]);
      for (const samples of others.values()) {
        const runtime = runtimeLabel(samples[0]!);
        const estimate = ratioOfMedians(
          baseSamples.map((s) => s.value),
          samples.map((s) => s.value),
        );
        const n = Math.min(baseSamples.length, samples.length);
        statements.push({ workload, runtime, baseline: baseLabel, estimate, sentence: coldStartSentence(workload, runtime, baseLabel, estimate, n) });
      }
    }
  }
  return statements;
}

function coldStartSentence(workload: string, runtime: string, baseline: string, estimate: RatioEstimate, n: number): string {
  const [low, high] = estimate.ci;
  if (!hasInterval(n)) {
    // Too few cold starts for an interval: the ratio of medians alone, said to be no more than that.
    const ratio = estimate.ratio < 1 ? `${times(1 / estimate.ratio)} sooner than` : `${times(estimate.ratio)} later than`;
    return `${workload}: ${runtime} reached first response ${ratio} ${baseline} in the medians of ${n} cold starts (too few for a confidence interval; ${INTERVAL_MIN_VALUES} give one).`;
  }
  if (low <= 1 && high >= 1) {
    return `${workload}: ${runtime} and ${baseline} reached first response in times we cannot tell apart (${times(estimate.ratio)} of ${baseline}'s, 95% CI ${span(low, high)}).`;
  }
  if (estimate.ratio < 1) {
    return `${workload}: ${runtime} reached first response ${times(1 / estimate.ratio)} sooner than ${baseline} (95% CI ${span(1 / high, 1 / low)}).`;
  }
  return `${workload}: ${runtime} reached first response ${times(estimate.ratio)} later than ${baseline} (95% CI ${span(low, high)}).`;
}
