// Chart specs, tables and sentences come from the measurement kinds: pure functions of results.

import type { TopLevelSpec } from 'vega-lite';
import { describe, expect, it } from 'vitest';
import { formatBytes, formatMs, formatNumber } from '../../src/format.js';
import { baselineStatements, coldstart as coldstartKind, slowestRuntime } from '../../src/measure/coldstart-read.js';
import { density as densityKind } from '../../src/measure/density-read.js';
import { load as loadKind } from '../../src/measure/load-read.js';
import { artifactChart } from '../../src/report/artifact-chart.js';
import { escapeHtml, jsonForScript, scriptForInline } from '../../src/report/escape.js';
import { renderReport } from '../../src/report/page.js';
import { summarize } from '../../src/stats/summarize.js';
import { syntheticResult } from '../fixtures.js';

const [coldstart, density, load] = [coldstartKind.read, densityKind.read, loadKind.read];
const values = (spec: TopLevelSpec | undefined) => (spec as unknown as { data: { values: Record<string, unknown>[] } }).data.values;
const chart = (charts: { id: string; spec: TopLevelSpec }[], id: string) => charts.find((c) => c.id === id)?.spec;

describe('chart specs', () => {
  const result = syntheticResult();

  it('cold start: one point per measured total, on a log scale', () => {
    const spec = chart(coldstart.charts([result]), 'coldstart')!;
    expect(values(spec)).toHaveLength(60);
    expect(JSON.stringify(spec)).toContain('"scale":{"type":"log"}');
    expect((spec as unknown as { facet: Record<string, unknown> }).facet.column).toBeUndefined();
  });

  it('phases: medians of every phase but the total, in the order the runtime reported them', () => {
    const rows = values(chart(coldstart.charts([result]), 'phases'));
    expect(new Set(rows.map((v) => v.phase))).toEqual(new Set(['start', 'first-response']));
    const step = (bar: unknown, phase: string) => rows.find((r) => r.bar === bar && r.phase === phase)!.step as number;
    for (const bar of new Set(rows.map((r) => r.bar))) expect(step(bar, 'start')).toBeLessThan(step(bar, 'first-response'));
  });

  it("phases: a runtime's own order comes from its samples, set-up phases first", () => {
    const base = syntheticResult({ coldStartMs: { docker: 100 } });
    const phase = (measurement: string, p: string, value: number) => ({
      ...base.samples.find((s) => s.measurement === 'coldstart')!,
      measurement,
      phase: p,
      value,
    });
    // Recorded as a driver reports them: a phase of its own before start, after a set-up phase recorded later.
    base.samples = [phase('coldstart', 'pull', 5), phase('coldstart', 'start', 10), phase('coldstart', 'first-response', 1), phase('setup', 'compile', 900)];
    base.summaries = summarize(base.samples);
    const rows = values(chart(coldstart.charts([base]), 'phases'));
    const order = [...rows].sort((a, b) => (a.step as number) - (b.step as number)).map((r) => r.phase);
    expect(order).toEqual(['compile', 'pull', 'start', 'first-response']);
  });

  it('memory: a value per runtime, method and step', () => {
    expect(values(chart(density.charts([result]), 'memory'))).toHaveLength(9);
  });

  it('load: throughput against p99, labelled with what limited each', () => {
    const rows = values(chart(load.charts([result]), 'load'));
    expect(rows).toHaveLength(3);
    expect(rows.find((r) => r.runtime === 'process')!.bottleneck).toBe('client-bound');
    expect(rows.find((r) => r.runtime === 'docker')!.bottleneck).toBe('server-bound');
    expect(rows.find((r) => r.runtime === 'wasm')!.bottleneck).toBe('neither saturated');
  });

  it('load: says the machine was busy when neither side was saturated on a busy machine', () => {
    const busy = syntheticResult();
    busy.noise = [
      {
        workload: 'hello',
        measurement: 'load',
        seconds: 10,
        cores: 2,
        loadAverage: { start: 3, end: 4 },
        stealPercent: 0,
        busiestOthers: [{ command: 'cargo', cores: 0.9 }],
        busy: true,
        reasons: ['other processes used 0.90 cores (cargo 0.90)'],
      },
    ];
    const rows = values(chart(load.charts([busy]), 'load'));
    expect(rows.find((r) => r.runtime === 'wasm')!.bottleneck).toBe('neither saturated (machine busy)');
    expect(rows.find((r) => r.runtime === 'docker')!.bottleneck).toBe('server-bound');
  });

  it('draws only the charts whose data exists', () => {
    const coldOnly = { ...syntheticResult(), samples: syntheticResult().samples.filter((s) => s.measurement === 'coldstart'), artifacts: [], densityRamps: [] };
    coldOnly.summaries = syntheticResult().summaries.filter((s) => s.measurement === 'coldstart');
    expect(density.charts([coldOnly])).toEqual([]);
    expect(load.charts([coldOnly])).toEqual([]);
    expect(artifactChart([coldOnly])).toBeUndefined();
    expect(coldstart.charts([coldOnly]).map((s) => s.id)).toEqual(['coldstart', 'phases']);
  });

  it('facets by machine when results come from several machines', () => {
    const arm = syntheticResult({ hostname: 'bench-2', arch: 'arm64' });
    const spec = chart(coldstart.charts([result, arm]), 'coldstart') as unknown as { facet: { column?: { field: string } } };
    expect(spec.facet.column?.field).toBe('source');
    expect(new Set(values(spec as never).map((v) => v.source)).size).toBe(2);
  });

  it('keeps two runs of one machine apart instead of stacking them', () => {
    const first = syntheticResult({ coldStartMs: { docker: 224 } });
    const second = { ...syntheticResult({ coldStartMs: { docker: 287 } }), runId: 'second-run' };
    const rows = values(chart(coldstart.charts([first, second]), 'phases'));
    const sources = new Set(rows.map((r) => r.source));
    expect(sources.size).toBe(2);
    expect([...sources].every((s) => String(s).includes('· run '))).toBe(true);
  });
});

describe('statements against a baseline', () => {
  it('says how many times sooner, with the interval', () => {
    const result = syntheticResult({ coldStartMs: { docker: 120, wasm: 3 } });
    expect(slowestRuntime(result)).toEqual({ runtime: 'docker' });
    const [statement] = baselineStatements(result, { runtime: 'docker' });
    expect(statement!.sentence).toMatch(/^hello: wasm reached first response 40× sooner than docker \(95% CI \d+–\d+×\)\.$/);
  });

  it('says when two runtimes cannot be told apart', () => {
    const result = syntheticResult({ coldStartMs: { docker: 100, process: 100 } });
    expect(baselineStatements(result, { runtime: 'docker' })[0]!.sentence).toContain('cannot tell apart');
  });

  it('takes ratios within one architecture: emulated runtimes against the baseline emulated alike', () => {
    const result = syntheticResult({ coldStartMs: { docker: 120, wasm: 3 } });
    const emulated = result.samples.filter((s) => s.measurement === 'coldstart').map((s) => ({ ...s, arch: 'arm64', emulated: true, value: s.value * 20 }));
    result.samples.push(...emulated);
    result.summaries = summarize(result.samples);
    expect(slowestRuntime(result)).toEqual({ runtime: 'docker' }); // the emulated docker is slower, but not a hardware timing
    const sentences = baselineStatements(result, { runtime: 'docker' }).map((s) => s.sentence);
    expect(sentences).toHaveLength(2);
    expect(sentences[0]).toMatch(/^hello: wasm reached first response 40× sooner than docker \(/);
    expect(sentences[1]).toMatch(/^hello: wasm on arm64 \(emulated\) reached first response 40× sooner than docker on arm64 \(emulated\) \(/);
  });
});

describe('the report page', () => {
  it('states cold starts against the baseline named, by its identity (the CLI resolves what users type: runtime-selectors.test.ts)', async () => {
    const result = syntheticResult({ coldStartMs: { docker: 120, wasm: 3 } });
    expect(await renderReport([result])).toContain('hello: wasm reached first response 40× sooner than docker');
    const variant = { ...result, samples: result.samples.map((s) => (s.runtime === 'wasm' ? { ...s, variant: 'shared' } : s)) };
    const html = await renderReport([variant], { baseline: { runtime: 'wasm', variant: 'shared' } });
    expect(html).toContain('hello: docker reached first response 40× later than wasm (shared)');
  });
});

describe('terminal tables', () => {
  it('cold start: sub-millisecond medians keep their digits, phases in the order they happen', () => {
    const result = syntheticResult({ coldStartMs: { docker: 0.004 } });
    const table = coldstart.table(result)!;
    expect(table).toMatch(/hello\s+docker\s+start\s+20\s+0\.0023\d/);
    expect(table.indexOf(' start ')).toBeLessThan(table.indexOf(' first-response '));
    expect(table).not.toContain(' 0.00 ');
  });

  it('load: says what limited each pass', () => {
    expect(load.table(syntheticResult())).toMatch(/process .*client-bound/);
  });

  it('density: how each ramp ended', () => {
    expect(density.table(syntheticResult())).toContain('hello on docker: 100 tenants (reached the last step (100 tenants))');
  });
});

describe('numbers', () => {
  it('three significant digits, never 0.00 for a small value', () => {
    expect(formatNumber(0.0042)).toBe('0.0042');
    expect(formatNumber(12.345)).toBe('12.3');
    expect(formatNumber(123456)).toBe('123456');
    expect(formatMs(0.0052)).toBe('5.2 µs');
    expect(formatBytes(20 * 1024)).toBe('20 KiB');
  });
});

describe('escaping', () => {
  it('escapes text, JSON in a script, and inline library code', () => {
    expect(escapeHtml('<script>alert("x")</script>')).toBe('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(jsonForScript({ name: '</script><script>alert(1)</script>' })).not.toContain('<');
    expect(scriptForInline('var s = "</script>";')).toBe('var s = "<\\/script>";');
  });
});
