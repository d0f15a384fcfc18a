// The composition claim's verdicts, pinned from synthetic hop samples: holds, does not hold (and
// which runtime fails it), not measured (and what would measure it).
import { describe, expect, it } from 'vitest';
import { hopFigures } from '../../src/measure/hops-figures.js';
import { hops } from '../../src/measure/hops-read.js';
import { evaluateClaims } from '../../src/report/claims.js';
import type { RunResult, Sample } from '../../src/results/types.js';
import { syntheticResult } from '../fixtures.js';

/** Hop samples of the pipeline on each runtime: `hopMs` per runtime (5 rounds, ±10%), and how it ran the stages. */
function withHops(result: RunResult, runtimes: Record<string, { hopMs: number; stages: 'composed' | 'services' | 'linked'; variant?: string }>): RunResult {
  const samples: Sample[] = [];
  for (const [runtime, { hopMs, stages, variant }] of Object.entries(runtimes)) {
    const base = { scenario: 'composition', workload: 'pipeline', runtime, ...(variant ? { variant } : {}), measurement: 'hops', tenants: 1, method: stages };
    for (let round = 0; round < 5; round++) {
      const hop = hopMs * (1 + (round - 2) / 20);
      samples.push({ ...base, iteration: round, metric: 'latency', phase: 'front-only', unit: 'ms', value: 0.5 });
      samples.push({ ...base, iteration: round, metric: 'latency', phase: 'pipeline', unit: 'ms', value: 0.5 + 2 * hop });
      samples.push({ ...base, iteration: round, metric: 'hop-cost', unit: 'ms', value: hop });
    }
    samples.push({ ...base, iteration: 0, metric: 'hops', unit: 'count', value: 2 });
  }
  return { ...result, samples: [...result.samples.filter((s) => s.measurement !== 'hops'), ...samples] };
}

const composition = (result: RunResult) => evaluateClaims([result]).find((c) => c.id === 'composition')!;

describe('the composition claim', () => {
  it('holds when every composed runtime pays at most a tenth of the cheapest container services hop', () => {
    const result = withHops(syntheticResult(), {
      wasmtime: { hopMs: 0.02, stages: 'composed', variant: 'per-tenant' },
      wasm: { hopMs: 0.08, stages: 'composed' },
      'process-services': { hopMs: 0.5, stages: 'services' },
      'docker-services': { hopMs: 1.2, stages: 'services', variant: 'host' },
      process: { hopMs: 0.001, stages: 'linked' },
    });
    const c = composition(result);
    expect(c.verdict).toBe('holds');
    expect(c.runs).toEqual(['synthetic-run']);
    expect(c.evidence[0]).toBe(
      'pipeline composed on wasmtime (per-tenant): one hop 0.020 ms (0.018–0.022) (1/60 of the cheapest services hop, docker-services (host)) against docker-services (host) 1.20 ms (1.08–1.32); holds (run synthetic-run)',
    );
    // Services on bare processes are shown, not judged against (the claim names containers).
    expect(c.evidence).toContain(
      'pipeline as services on bare processes (process-services), not judged against: 0.500 ms (0.450–0.550) per hop (run synthetic-run)',
    );
    expect(c.evidence).toContain('pipeline linked in one native process (process), the floor: 0.001 ms (0.001–0.001) per call (run synthetic-run)');
  });

  it('does not hold when one composed runtime pays more than a tenth, and says which', () => {
    const result = withHops(syntheticResult(), {
      wasmtime: { hopMs: 0.02, stages: 'composed' },
      wasm: { hopMs: 0.4, stages: 'composed' },
      'docker-services': { hopMs: 2, stages: 'services' },
    });
    const c = composition(result);
    expect(c.verdict).toBe('does not hold');
    expect(c.evidence.find((e) => e.includes('composed on wasm:'))).toContain("does not hold: more than a tenth of docker-services's");
    expect(c.evidence.find((e) => e.includes('composed on wasmtime:'))).toContain('; holds (run');
  });

  it('judges a composed runtime against Wasm services on its own engine too, and only there', () => {
    const result = withHops(syntheticResult(), {
      wasmtime: { hopMs: 0.02, stages: 'composed', variant: 'per-tenant' },
      wasm: { hopMs: 0.08, stages: 'composed' },
      'wasmtime-services': { hopMs: 0.15, stages: 'services' },
      'docker-services': { hopMs: 2, stages: 'services', variant: 'host' },
    });
    const c = composition(result);
    // wasmtime: its cheapest services hop is its own Wasm services' (0.15 ms), and 0.02 is more than a tenth of it.
    expect(c.verdict).toBe('does not hold');
    expect(c.evidence[0]).toBe(
      "pipeline composed on wasmtime (per-tenant): one hop 0.020 ms (0.018–0.022) (1/8 of the cheapest services hop, wasmtime-services) against docker-services (host) 2.00 ms (1.80–2.20), wasmtime-services 0.150 ms (0.135–0.165); does not hold: more than a tenth of wasmtime-services's (run synthetic-run)",
    );
    // The V8 host has no Wasm services: it is judged against the containers alone.
    expect(c.evidence[1]).toContain(
      'pipeline composed on wasm: one hop 0.080 ms (0.072–0.088) (1/25 of the cheapest services hop, docker-services (host)) against docker-services (host) 2.00 ms',
    );
    expect(c.evidence[1]).toContain('; holds (run');
  });

  it('is measured with Wasm services alone on the composed runtime, without containers', () => {
    const result = withHops(syntheticResult(), {
      wasmtime: { hopMs: 0.01, stages: 'composed' },
      'wasmtime-services': { hopMs: 0.2, stages: 'services' },
    });
    expect(composition(result).verdict).toBe('holds');
    const otherEngine = withHops(syntheticResult(), { wasm: { hopMs: 0.01, stages: 'composed' }, 'wasmtime-services': { hopMs: 0.2, stages: 'services' } });
    expect(composition(otherEngine).verdict).toBe('not measured');
  });

  it('is not measured without both a composed and a services deployment, and says what would measure it', () => {
    expect(composition(syntheticResult()).verdict).toBe('not measured');
    const onlyComposed = composition(
      withHops(syntheticResult(), { wasmtime: { hopMs: 0.02, stages: 'composed' }, process: { hopMs: 0.001, stages: 'linked' } }),
    );
    expect(onlyComposed.verdict).toBe('not measured');
    expect(onlyComposed.howToMeasure).toContain('scenarios/composition.yaml');
  });

  it('reads as a table and sentences in the hops measurement', () => {
    const result = withHops(syntheticResult(), { wasmtime: { hopMs: 0.02, stages: 'composed' }, 'docker-services': { hopMs: 2, stages: 'services' } });
    const figures = hopFigures(result);
    expect(figures.map((f) => [f.label, f.deployment, f.hops, f.rounds])).toEqual([
      ['wasmtime', 'composed', 2, 5],
      ['docker-services', 'services', 2, 5],
    ]);
    expect(hops.read.table(result)).toContain('docker-services  services  2.00 ms (1.80–2.20)');
    expect(hops.read.headlines(result, {})[0]).toBe(
      'pipeline on wasmtime (composed): one call between stages costs 0.020 ms (0.018–0.022) per hop (the whole pipeline 0.540 ms, the front alone 0.500 ms, 2 hops, 5 rounds).',
    );
    expect(hops.checkWorkloads?.(hops.options.parse({}), [])).toEqual([
      'workloads: expected a pipeline workload among them (hops measures calls between its stages)',
    ]);
  });
});
