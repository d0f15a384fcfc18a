// The burst kind's two charts (pure): first-response percentiles against burst size K (log–log),
// and first-response latency against the offered start rate with each runtime's knee marked.

import { burstFigures } from '../measure/burst-figures.js';
import type { ChartSpec } from '../measure/types.js';
import { runtimeLabel } from '../results/identity.js';
import type { RunResult } from '../results/types.js';
import { onLogAxis } from '../stats/latency.js';
import { severalSources, sourceLabel } from './labels.js';

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

export function burstCharts(results: RunResult[]): ChartSpec[] {
  return [sizeChart(results), rateChart(results)].filter((c): c is ChartSpec => c !== undefined);
}

const panelOf = (results: RunResult[]) => {
  const several = severalSources(results);
  return (r: RunResult, workload: string) => (several ? `${workload} · ${sourceLabel(r, results)}` : workload);
};

function sizeChart(results: RunResult[]): ChartSpec | undefined {
  const panel = panelOf(results);
  const values = results.flatMap((r) =>
    burstFigures(r).flatMap((b) =>
      b.sizes.flatMap((f) =>
        (['p50', 'p99'] as const).map((percentile) => ({
          panel: panel(r, b.workload),
          runtime: runtimeLabel(b.identity),
          percentile,
          K: f.size,
          ms: onLogAxis(f[percentile]),
          all: f.allAnswered ?? null,
          failed: f.failed,
        })),
      ),
    ),
  );
  if (values.length === 0) return undefined;
  return {
    id: 'burst',
    spec: {
      $schema: SCHEMA,
      title: 'Bursts: first response of K tenants started at once, from the burst to each answer (p50 solid, p99 dashed; log–log)',
      data: { values },
      facet: { row: { field: 'panel', type: 'nominal', title: null } },
      spec: {
        width: 420,
        height: 240,
        mark: { type: 'line', point: true },
        encoding: {
          x: { field: 'K', type: 'quantitative', scale: { type: 'log' }, title: 'burst size K (tenants started at once, log scale)' },
          y: { field: 'ms', type: 'quantitative', scale: { type: 'log' }, title: 'first response (ms, log scale)' },
          color: { field: 'runtime', type: 'nominal', title: 'runtime' },
          strokeDash: { field: 'percentile', type: 'nominal', title: 'percentile', legend: { symbolType: 'stroke' } },
          tooltip: [
            { field: 'runtime' },
            { field: 'K' },
            { field: 'percentile' },
            { field: 'ms', format: '.3~g' },
            { field: 'all', title: 'all answered (ms)', format: '.3~g' },
            { field: 'failed' },
          ],
        },
      },
    },
  };
}

function rateChart(results: RunResult[]): ChartSpec | undefined {
  const panel = panelOf(results);
  const values = results.flatMap((r) =>
    burstFigures(r).flatMap((b) =>
      b.rates.map((f) => ({
        panel: panel(r, b.workload),
        runtime: runtimeLabel(b.identity),
        rate: f.rate,
        p99: onLogAxis(f.p99),
        p50: onLogAxis(f.p50),
        achieved: f.achieved ?? null,
        outcome: f.outcome,
        knee: b.knee !== undefined && b.knee.sustained === f.rate,
      })),
    ),
  );
  if (values.length === 0) return undefined;
  const x = { field: 'rate', type: 'quantitative', scale: { type: 'log' }, title: 'offered start rate (starts/s, log scale)' } as const;
  const y = { field: 'p99', type: 'quantitative', scale: { type: 'log' }, title: 'p99 wait from intended start (ms, log)' } as const;
  const color = { field: 'runtime', type: 'nominal', title: 'runtime' } as const;
  return {
    id: 'start-rate',
    spec: {
      $schema: SCHEMA,
      title: 'Start rate: p99 wait of tenants started at a fixed rate (ringed: the knee, the highest rate sustained)',
      data: { values },
      facet: { row: { field: 'panel', type: 'nominal', title: null } },
      spec: {
        width: 420,
        height: 240,
        layer: [
          { mark: { type: 'line' }, encoding: { x, y, color } },
          {
            mark: { type: 'point', size: 50, filled: true },
            encoding: {
              x,
              y,
              color,
              shape: {
                field: 'outcome',
                type: 'nominal',
                title: 'pass',
                scale: { domain: ['sustained', 'overloaded', 'failed'], range: ['circle', 'triangle-up', 'cross'] },
              },
              tooltip: [
                { field: 'runtime' },
                { field: 'rate' },
                { field: 'outcome' },
                { field: 'p50', format: '.3~g' },
                { field: 'p99', format: '.3~g' },
                { field: 'achieved', format: '.3~g' },
              ],
            },
          },
          { transform: [{ filter: 'datum.knee' }], mark: { type: 'point', size: 300, strokeWidth: 2, filled: false }, encoding: { x, y, color } },
        ],
      },
    },
  };
}
