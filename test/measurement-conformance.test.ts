// Every registered measurement kind, the same checks: its runner measures, as two arms of one
// runtime (so that sentences comparing runtimes have two to compare), on the tests-only fake
// runtime where that can stand for a runtime and on the one real runtime a kind needs otherwise,
// and saves only samples it owns; its read side, fed those samples as a results file, gives a table,
// charts that Vega-Lite compiles, summary rows, sentences, and `compare` of the run with itself.
// A kind registered without a plan here, or without a read side, fails.
process.env.COLDBENCH_TEST_RUNTIMES = '1';

import { compile, type TopLevelSpec } from 'vega-lite';
import { afterAll, describe, expect, it } from 'vitest';
import { judge, kindOf, measurementKinds } from '../src/measure/registry.js';
import type { MeasurementKind } from '../src/measure/types.js';
import { isCategory, type RunResult, SCHEMA_VERSION } from '../src/results/types.js';
import { hostArch } from '../src/runtimes/platform.js';
import { availableDrivers } from '../src/runtimes/select.js';
import type { RuntimeDriver } from '../src/runtimes/types.js';
import { compareRuns } from '../src/stats/compare.js';
import { summarize } from '../src/stats/summarize.js';
import { artifactsFor, collectingContext } from './helpers.js';

/** How each kind is run here: its settings (small), the workload and the runtime. */
const PLANS: Record<string, { options: Record<string, unknown>; workload: string; runtime: string }> = {
  coldstart: { options: { iterations: 3, warmup: 1, probeFloorSamples: 3, prober: 'node' }, workload: 'json', runtime: 'fake' },
  load: { options: { durationSec: 1, warmupSec: 0, repetitions: 2, connections: 2 }, workload: 'json', runtime: 'fake' },
  density: { options: { steps: [1, 3], concurrency: 2, settleMs: 0, timeLimitSec: 60 }, workload: 'json', runtime: 'fake' },
  // It times the V8 host's own code: only a runtime whose descriptor says microHost has any.
  micro: { options: { timeMs: 100, repetitions: 2 }, workload: 'hello-c', runtime: 'wasm' },
  // The fake runtime answers only declared requests; the probe's answers are not declared.
  capabilities: { options: { timeoutMs: 15_000 }, workload: 'capability-probe', runtime: 'process' },
  // Only a pipeline has hops; on process it runs linked (the cheapest build: no component).
  hops: { options: { rounds: 2, requestsPerRound: 3, warmup: 1 }, workload: 'pipeline', runtime: 'process' },
  soak: { options: { durationSec: 2, intervalSec: 1, tenants: 2, ratePerSec: 20, faults: { tenants: 0 } }, workload: 'json', runtime: 'fake' },
  burst: {
    options: { sizes: [1, 4], repetitions: 2, settleMs: 0, startRate: { rates: [20, 40], durationSec: 0.5, minStarts: 4 } },
    workload: 'json',
    runtime: 'fake',
  },
};

const drivers: RuntimeDriver[] = [];
afterAll(async () => {
  for (const driver of drivers) await driver.dispose();
});

/** Runs a kind as `run` does (its once-per-run step, then one workload) and returns what it saved, as a results file. */
async function measured(kind: MeasurementKind<any>): Promise<RunResult> {
  const plan = PLANS[kind.name]!;
  const options = kind.options.parse(plan.options);
  const arms = [
    { name: 'a', settings: {} },
    { name: 'b', settings: {} },
  ];
  const { drivers: mine } = await availableDrivers([plan.runtime], { runId: `conformance-${kind.name}` }, {}, () => {}, arms);
  expect(mine, `${plan.runtime} is available here`).toHaveLength(2);
  drivers.push(...mine);
  const artifacts = await artifactsFor(plan.workload, [plan.runtime]);
  for (const driver of mine) await driver.prepare?.(artifacts);
  const runner = await kind.runner();
  const { context, samples, ramps, histograms } = collectingContext(options, artifacts, mine);
  samples.push(...((await runner.beforeRun?.({ scenario: 's', runId: 'test', options, signal: context.signal })) ?? []));
  await runner.run(context);
  return {
    schemaVersion: SCHEMA_VERSION,
    runId: `conformance-${kind.name}`,
    status: 'complete',
    startedAt: new Date().toISOString(),
    fingerprint: {
      hostname: 'h',
      cpuModel: 'c',
      arch: hostArch(),
      cores: 2,
      memoryBytes: 1,
      kernel: 'k',
      os: 'o',
      node: 'n',
      jco: 'j',
      componentizeJs: 'c',
      preview2Shim: 'p',
      gitSha: 'g',
    },
    scenario: { name: 's', workloads: [plan.workload], runtimes: [plan.runtime], measurements: { [kind.name]: options } },
    runtimes: [{ runtime: plan.runtime, available: true }],
    artifacts: [],
    samples,
    summaries: summarize(samples),
    densityRamps: ramps,
    latencyHistograms: histograms,
    warnings: [],
  };
}

describe('every registered measurement kind', () => {
  it('has a plan here and a read side', () => {
    for (const kind of measurementKinds()) {
      expect(PLANS[kind.name], `a plan for ${kind.name} in this file`).toBeDefined();
      for (const method of ['table', 'charts', 'judge', 'summaryRows', 'headlines'] as const) {
        expect(typeof kind.read?.[method], `${kind.name}.read.${method}`).toBe('function');
      }
    }
  });

  for (const kind of measurementKinds()) {
    it(`${kind.name}: measures, and its read side renders and compares what it measured`, async () => {
      const result = await measured(kind);
      expect(result.samples.length, 'samples').toBeGreaterThan(0);
      // Each sample belongs to this kind; a category is recorded as one, never summarised.
      for (const s of result.samples) {
        expect(kindOf(s.measurement)?.name).toBe(kind.name);
        expect(isCategory(s)).toBe(s.category !== undefined);
      }
      expect(result.summaries.some((s) => isCategory(s))).toBe(false);

      const { read } = kind;
      expect(read.table(result)).toMatch(/\S/);
      for (const { id, spec } of read.charts([result])) {
        expect(id).toMatch(/^[a-z-]+$/);
        expect(() => compile(spec as TopLevelSpec), `chart ${id} compiles`).not.toThrow();
        expect((spec as { data?: { values?: unknown[] } }).data?.values?.length, `chart ${id} has data`).toBeGreaterThan(0);
      }
      const all = read.summaryRows(result, 'all');
      for (const row of read.summaryRows(result, 'headline')) expect(all).toContainEqual(row);
      for (const row of all) expect(kind.owns).toContain(row.measurement);
      const headlines = read.headlines(result, {});
      expect(headlines.length, 'sentences').toBeGreaterThan(0);
      for (const line of headlines) expect(line).toMatch(/^\S.*\.$/);
      const table = read.reportTable?.([result]);
      if (table) for (const row of table.rows) expect(row).toHaveLength(table.header.length);

      // A run against itself: what the kind judges is compared (a zero median has no ratio), and nothing changed.
      const rows = compareRuns(result, result, judge, { minSamples: 1 });
      const judged = result.samples.filter((s) => judge(s));
      expect(rows.length > 0).toBe(judged.some((s) => s.value !== 0));
      for (const row of rows) {
        expect(judge(row)).toBeDefined();
        expect(row.verdict).toBe('unsure');
      }
    });
  }
});
