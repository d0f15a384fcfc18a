// The load measurement's read side with µs latencies and wrk's cross-check: no zero on a log axis,
// whole-millisecond zeros from older files still read "<1", wrk's figures beside autocannon's.
import type { TopLevelSpec } from 'vega-lite';
import { describe, expect, it } from 'vitest';
import { load as loadKind } from '../../src/measure/load-read.js';
import type { Sample } from '../../src/results/types.js';
import { loadScenario } from '../../src/scenario/load.js';
import { latencyText, onLogAxis } from '../../src/stats/latency.js';
import { summarize } from '../../src/stats/summarize.js';
import { tempDir, writeScenario } from '../basics.js';
import { syntheticResult } from '../fixtures.js';

const chartValues = (spec: unknown) => (spec as { data: { values: Record<string, unknown>[] } }).data.values;

/** The synthetic result with each runtime's load samples of `metric` set to `value`, and wrk samples when given. */
function resultWith(metric: string, value: number, wrk?: { rps: number; p99: number }) {
  const result = syntheticResult();
  for (const s of result.samples) if (s.measurement === 'load' && s.metric === metric) s.value = value;
  if (wrk) {
    const extra: Sample[] = result.samples
      .filter((s) => s.measurement === 'load' && s.metric === 'throughput')
      .flatMap((s) => [
        { ...s, metric: 'wrk-throughput', value: wrk.rps },
        { ...s, metric: 'wrk-latency-p99', unit: 'ms', value: wrk.p99 },
      ]);
    result.samples.push(...extra);
  }
  result.summaries = summarize(result.samples);
  return result;
}

describe('load latencies on a log axis', () => {
  it('leaves zero, negative and missing values out instead of plotting them', () => {
    expect([0, -1, Number.NaN, undefined, 0.213].map(onLogAxis)).toEqual([null, null, null, null, 0.213]);
  });

  it('never puts a zero p99 on the chart (a results file from autocannon whole milliseconds)', () => {
    const spec = loadKind.read.charts([resultWith('latency-p99', 0)])[0]!.spec as TopLevelSpec;
    const rows = chartValues(spec);
    expect(rows).toHaveLength(3);
    for (const row of rows) expect(row.p99).toBeNull();
  });

  it('reads a closed-model zero as "<1" (whole milliseconds) and a µs figure as itself', () => {
    const [zero] = summarize(resultWith('latency-p99', 0).samples).filter((s) => s.metric === 'latency-p99');
    const [fine] = summarize(resultWith('latency-p99', 0.213).samples).filter((s) => s.metric === 'latency-p99');
    expect(latencyText(zero)).toBe('<1');
    expect(latencyText(fine)).toBe('0.213');
  });
});

describe("wrk's cross-check in the load table and sentences", () => {
  it('shows wrk columns only when a pass was cross-checked', () => {
    expect(loadKind.read.table(syntheticResult())).not.toContain('wrk');
    const table = loadKind.read.table(resultWith('latency-p99', 0.3, { rps: 43210, p99: 0.42 }))!;
    expect(table).toContain('wrk req/s (median)');
    expect(table).toMatch(/process .*43,?210.*0\.42/);
  });

  it("puts wrk's figures in the headline and judges them like autocannon's", () => {
    const result = resultWith('latency-p99', 0.3, { rps: 43210, p99: 0.42 });
    expect(loadKind.read.headlines(result, {}).join('\n')).toMatch(/wrk measured 43,?210 req\/s, p99 0\.42 ms/);
    const key = result.summaries.find((s) => s.metric === 'wrk-throughput')!;
    expect(loadKind.read.judge(key)).toBe('higher');
    expect(loadKind.read.judge({ ...key, metric: 'wrk-latency-p99' })).toBe('lower');
    expect(loadKind.read.summaryRows(result, 'all').some((s) => s.metric === 'wrk-throughput')).toBe(true);
  });
});

describe('load.crossCheck in a scenario', () => {
  const scenario = (settings: string) => `name: t\nworkloads: [hello]\nruntimes: [process]\nmeasurements:\n  load:\n    crossCheck: wrk\n${settings}`;

  it('is refused with the fixed-rate model and with pipelining, naming the field', async () => {
    const dir = await tempDir();
    const open = await writeScenario(dir, 'open.yaml', scenario('    ratePerSec: 100\n'));
    await expect(loadScenario(open)).rejects.toThrow(`${open}: measurements.load.crossCheck: wrk runs the closed model only; remove ratePerSec or crossCheck`);
    const piped = await writeScenario(dir, 'piped.yaml', scenario('    pipelining: 4\n'));
    await expect(loadScenario(piped)).rejects.toThrow(`${piped}: measurements.load.crossCheck: wrk sends one request at a time per connection`);
  });

  it('accepts wrk and nothing else', async () => {
    const dir = await tempDir();
    expect((await loadScenario(await writeScenario(dir, 'ok.yaml', scenario('')))).measurements.load?.crossCheck).toBe('wrk');
    await expect(loadScenario(await writeScenario(dir, 'ab.yaml', scenario('').replace('wrk', 'ab')))).rejects.toThrow(/measurements\.load\.crossCheck/);
  });
});
