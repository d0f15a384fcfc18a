// Vega-Lite chart specs: pure functions of results, each returning null when its data is absent,
// so a chart appears exactly when the results hold what it shows. Several results files (machines,
// architectures) are faceted by machine.
import type { RunResult } from '../results/types.js';
import { machineLabel } from './read-results.js';
import { PHASE_ORDER } from './table.js';

export type Spec = Record<string, unknown>;

const WIDTH = 520;

function machines(results: RunResult[]): boolean {
  return new Set(results.map(machineLabel)).size > 1;
}

function byMachine(results: RunResult[]): Spec | undefined {
  return machines(results) ? { field: 'machine', type: 'nominal', title: null } : undefined;
}

/** Cold start per runtime and workload as a distribution: every sample, over a box plot. */
export function coldStartSpec(results: RunResult[]): Spec | null {
  const values = results.flatMap((r) => r.samples
    .filter((s) => s.measurement === 'coldstart' && s.phase === 'total')
    .map((s) => ({ machine: machineLabel(r), workload: s.workload, runtime: s.runtime, ms: s.value })));
  if (values.length === 0) return null;
  const x = { field: 'ms', type: 'quantitative', scale: { type: 'log' }, title: 'deploy to first expected response (ms, log scale)' };
  const y = { field: 'runtime', type: 'nominal', title: null };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: 'Cold start, every measured iteration',
    data: { values },
    facet: { row: { field: 'workload', type: 'nominal', title: null }, ...(byMachine(results) ? { column: byMachine(results) } : {}) },
    spec: {
      width: WIDTH, height: { step: 22 },
      layer: [
        { mark: { type: 'boxplot', extent: 'min-max', opacity: 0.25, ticks: false }, encoding: { x, y, color: { field: 'runtime', legend: null } } },
        { mark: { type: 'point', opacity: 0.7, size: 28 }, encoding: { x, y, color: { field: 'runtime', title: 'runtime' }, tooltip: [{ field: 'runtime' }, { field: 'ms', format: '.2f' }] } },
      ],
    },
  };
}

/** Where cold start goes: the median of each phase, stacked, per runtime. */
export function phaseSpec(results: RunResult[]): Spec | null {
  const values = results.flatMap((r) => r.summaries
    .filter((s) => s.measurement === 'coldstart' && s.phase !== 'total')
    .map((s) => ({ machine: machineLabel(r), workload: s.workload, runtime: s.runtime, phase: s.phase, step: PHASE_ORDER.indexOf(s.phase), ms: s.median })));
  if (values.length === 0) return null;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: 'Cold start by phase (medians, in the order they happen)',
    data: { values },
    facet: { row: { field: 'workload', type: 'nominal', title: null }, ...(byMachine(results) ? { column: byMachine(results) } : {}) },
    spec: {
      width: WIDTH, height: { step: 22 },
      mark: 'bar',
      encoding: {
        x: { field: 'ms', type: 'quantitative', aggregate: 'sum', title: 'median per phase (ms)' },
        y: { field: 'runtime', type: 'nominal', title: null },
        color: { field: 'phase', type: 'nominal', title: 'phase', sort: PHASE_ORDER },
        order: { field: 'step', type: 'quantitative' },
        tooltip: [{ field: 'runtime' }, { field: 'phase' }, { field: 'ms', format: '.2f' }],
      },
    },
  };
}

/** Memory per tenant against tenant count: a panel per runtime, a line per method. */
export function memorySpec(results: RunResult[]): Spec | null {
  const several = machines(results);
  const values = results.flatMap((r) => r.summaries
    .filter((s) => s.measurement === 'density' && s.metric === 'memory-per-tenant')
    .map((s) => ({ panel: several ? `${s.workload} · ${machineLabel(r)}` : s.workload, runtime: s.runtime, method: s.phase, tenants: s.tenants, mib: s.median })));
  if (values.length === 0) return null;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: 'Memory per tenant against tenant count (a panel per runtime, a line per method)',
    data: { values },
    facet: { row: { field: 'panel', type: 'nominal', title: null }, column: { field: 'runtime', type: 'nominal', title: null } },
    resolve: { scale: { y: 'independent' } },
    spec: {
      width: 200, height: 200,
      mark: { type: 'line', point: true },
      encoding: {
        x: { field: 'tenants', type: 'quantitative', scale: { type: 'log' }, title: 'tenants (log scale)' },
        y: { field: 'mib', type: 'quantitative', title: 'MiB per tenant' },
        color: { field: 'method', type: 'nominal', title: 'method' },
        tooltip: [{ field: 'runtime' }, { field: 'method' }, { field: 'tenants' }, { field: 'mib', format: '.2f' }],
      },
    },
  };
}

/** Throughput against p99 latency, one point per workload, runtime and machine. */
export function loadSpec(results: RunResult[]): Spec | null {
  const values = results.flatMap((r) => {
    const load = r.summaries.filter((s) => s.measurement === 'load');
    return load.filter((s) => s.metric === 'throughput').map((t) => {
      const p99 = load.find((s) => s.workload === t.workload && s.runtime === t.runtime && s.tenants === t.tenants && s.metric === 'latency-p99');
      const bound = load.find((s) => s.workload === t.workload && s.runtime === t.runtime && s.tenants === t.tenants && s.metric === 'client-bound');
      return { machine: machineLabel(r), workload: t.workload, runtime: t.runtime, rps: t.median, p99: p99?.median ?? null, clientBound: bound && bound.max > 0 ? 'client-bound' : 'server-bound' };
    });
  });
  if (values.length === 0) return null;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: 'Throughput and p99 latency under load (medians over passes)',
    data: { values },
    ...(byMachine(results) ? { facet: { column: byMachine(results) }, spec: loadLayer() } : loadLayer()),
  };
}

function loadLayer(): Spec {
  return {
    width: WIDTH, height: 280,
    mark: { type: 'point', filled: true, size: 90 },
    encoding: {
      x: { field: 'p99', type: 'quantitative', title: 'p99 latency (ms)' },
      y: { field: 'rps', type: 'quantitative', title: 'requests per second' },
      color: { field: 'runtime', type: 'nominal', title: 'runtime' },
      shape: { field: 'workload', type: 'nominal', title: 'workload' },
      opacity: { field: 'clientBound', type: 'nominal', scale: { domain: ['server-bound', 'client-bound'], range: [1, 0.35] }, title: 'bottleneck' },
      tooltip: [{ field: 'workload' }, { field: 'runtime' }, { field: 'rps', format: '.0f' }, { field: 'p99', format: '.2f' }, { field: 'clientBound' }],
    },
  };
}

/** Artifact sizes (image, component, core modules, binaries) per workload. */
export function artifactSpec(results: RunResult[]): Spec | null {
  const values = results.flatMap((r) => r.artifacts.flatMap((a) => a.builds.flatMap((b) =>
    Object.entries(b.sizes).map(([part, bytes]) => ({ machine: machineLabel(r), workload: a.workload, part: `${b.kind}: ${part}`, mib: bytes / 1048576 })))));
  if (values.length === 0) return null;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: 'Artifact sizes',
    data: { values },
    ...(byMachine(results) ? { facet: { column: byMachine(results) }, spec: artifactLayer() } : artifactLayer()),
  };
}

function artifactLayer(): Spec {
  return {
    width: WIDTH, height: { step: 24 },
    // Points, not bars: sizes span four orders of magnitude, and a bar has no base on a log scale.
    mark: { type: 'point', filled: true, size: 80 },
    encoding: {
      y: { field: 'workload', type: 'nominal', title: null },
      x: { field: 'mib', type: 'quantitative', scale: { type: 'log' }, title: 'MiB (log scale)' },
      shape: { field: 'part', type: 'nominal', title: 'artifact' },
      color: { field: 'part', type: 'nominal', title: 'artifact' },
      tooltip: [{ field: 'workload' }, { field: 'part' }, { field: 'mib', format: '.3f' }],
    },
  };
}

export function allSpecs(results: RunResult[]): { id: string; spec: Spec }[] {
  const specs = { coldstart: coldStartSpec(results), phases: phaseSpec(results), memory: memorySpec(results), load: loadSpec(results), artifacts: artifactSpec(results) };
  return Object.entries(specs).filter((e): e is [string, Spec] => e[1] !== null).map(([id, spec]) => ({ id, spec }));
}
