// Chart specs are pure functions of results: the data they carry and how they are drawn.
import { describe, expect, it } from 'vitest';
import { artifactSpec, coldStartSpec, loadSpec, memorySpec, phaseSpec, allSpecs } from '../src/report/charts.js';
import { baselineStatements, slowestRuntime } from '../src/report/comparison.js';
import { escapeHtml, jsonForScript, scriptForInline } from '../src/report/escape.js';
import { syntheticResult } from './fixtures.js';

const values = (spec: Record<string, unknown> | null) => (spec as { data: { values: Record<string, unknown>[] } }).data.values;

describe('chart specs', () => {
  const result = syntheticResult();

  it('cold start: one point per measured total, on a log scale', () => {
    const spec = coldStartSpec([result])!;
    expect(values(spec)).toHaveLength(60);
    expect(JSON.stringify(spec)).toContain('"scale":{"type":"log"}');
    expect((spec as { facet: Record<string, unknown> }).facet.column).toBeUndefined();
  });

  it('phases: medians of every phase but the total', () => {
    const phases = new Set(values(phaseSpec([result])).map((v) => v.phase));
    expect(phases).toEqual(new Set(['start', 'first-response']));
  });

  it('memory: a value per runtime, method and step', () => {
    expect(values(memorySpec([result]))).toHaveLength(9);
  });

  it('load: throughput against p99, and which passes were client-bound', () => {
    const rows = values(loadSpec([result]));
    expect(rows).toHaveLength(3);
    expect(rows.find((r) => r.runtime === 'process')!.clientBound).toBe('client-bound');
    expect(rows.find((r) => r.runtime === 'wasm')!.clientBound).toBe('server-bound');
  });

  it('draws only the charts whose data exists', () => {
    const coldOnly = { ...syntheticResult(), samples: syntheticResult().samples.filter((s) => s.measurement === 'coldstart'), artifacts: [] };
    coldOnly.summaries = syntheticResult().summaries.filter((s) => s.measurement === 'coldstart');
    expect(memorySpec([coldOnly])).toBeNull();
    expect(loadSpec([coldOnly])).toBeNull();
    expect(artifactSpec([coldOnly])).toBeNull();
    expect(allSpecs([coldOnly]).map((s) => s.id)).toEqual(['coldstart', 'phases']);
  });

  it('facets by machine when results come from several machines', () => {
    const arm = syntheticResult({ hostname: 'bench-2', arch: 'arm64' });
    const spec = coldStartSpec([result, arm]) as { facet: { column?: { field: string } } };
    expect(spec.facet.column?.field).toBe('machine');
    expect(new Set(values(spec as never).map((v) => v.machine)).size).toBe(2);
  });
});

describe('statements against a baseline', () => {
  it('says how many times sooner, with the interval', () => {
    const result = syntheticResult({ coldStartMs: { docker: 120, wasm: 3 } });
    expect(slowestRuntime(result)).toBe('docker');
    const [statement] = baselineStatements(result, 'docker');
    expect(statement!.sentence).toMatch(/^hello: wasm reached first response 40× sooner than docker \(95% CI \d+–\d+×\)\.$/);
  });

  it('says when two runtimes cannot be told apart', () => {
    const result = syntheticResult({ coldStartMs: { docker: 100, process: 100 } });
    expect(baselineStatements(result, 'docker')[0]!.sentence).toContain('cannot tell apart');
  });
});

describe('escaping', () => {
  it('escapes text, JSON in a script, and inline library code', () => {
    expect(escapeHtml('<script>alert("x")</script>')).toBe('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(jsonForScript({ name: '</script><script>alert(1)</script>' })).not.toContain('<');
    expect(scriptForInline('var s = "</script>";')).toBe('var s = "<\\/script>";');
  });
});
