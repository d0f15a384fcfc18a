// Wasm's compute tax in the report: each runtime's p50 at one connection against the family's C
// twin run as a process (= 1), from results alone; nothing without a one-connection load or a C twin.
import { describe, expect, it } from 'vitest';
import { computeTax, computeTaxLines, computeTaxSection } from '../../src/report/compute-tax.js';
import type { RunResult, Sample } from '../../src/results/types.js';
import { summarize } from '../../src/stats/summarize.js';
import { syntheticResult } from '../fixtures.js';

/** infer-c, infer and infer-py at one connection: p50 per pass = centre, centre × 1.1, centre × 0.9. */
function inferRun(centres: Record<string, Record<string, number>>, connections = 1): RunResult {
  const result = syntheticResult();
  const samples: Sample[] = [];
  for (const [workload, byRuntime] of Object.entries(centres)) {
    for (const [runtime, centre] of Object.entries(byRuntime)) {
      [1, 1.1, 0.9].forEach((factor, pass) => {
        samples.push({
          scenario: 'synthetic',
          workload,
          runtime,
          tenants: 1,
          iteration: pass,
          measurement: 'load',
          model: 'closed',
          metric: 'latency-p50',
          unit: 'ms',
          value: centre * factor,
        });
      });
    }
  }
  result.samples = samples;
  result.summaries = summarize(samples);
  result.scenario = { ...result.scenario, measurements: { load: { connections } } };
  result.artifacts = [];
  return result;
}

describe("Wasm's compute tax", () => {
  const run = inferRun({ 'infer-c': { process: 1, wasmtime: 1.5 }, infer: { process: 3, wasm: 60 }, 'infer-py': { process: 40, wasmtime: 120 } });

  it('divides each p50 by the C twin on process, per family, with the range over passes', () => {
    const rows = computeTax(run);
    expect(rows.map((r) => [r.workload, r.language, r.runtime, Number(r.ratio.toFixed(3))])).toEqual([
      ['infer-c', 'C', 'process', 1],
      ['infer-c', 'C', 'wasmtime', 1.5],
      ['infer', 'JS', 'process', 3],
      ['infer-py', 'Python', 'process', 40],
      ['infer', 'JS', 'wasm', 60],
      ['infer-py', 'Python', 'wasmtime', 120],
    ]);
    const py = rows.find((r) => r.workload === 'infer-py' && r.runtime === 'wasmtime')!;
    expect([py.ratioMin, py.ratioMax].map((x) => Number(x.toFixed(3)))).toEqual([108, 132]);
    expect(computeTaxLines(run)[1]).toBe("infer-c (C) on wasmtime: 1.5 ms a request, 1.5× (1.35–1.65) native C's 1 ms");
    expect(computeTaxSection([run])).toContain("Wasm's compute tax");
  });

  it('needs the load at one connection and a C twin on process', () => {
    expect(computeTax(inferRun({ 'infer-c': { process: 1, wasmtime: 1.5 } }, 10))).toEqual([]);
    expect(computeTax(inferRun({ infer: { process: 3, wasm: 60 } }))).toEqual([]);
    expect(computeTaxSection([inferRun({ infer: { process: 3 } })])).toBe('');
  });
});
