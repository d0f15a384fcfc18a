// Results written by coldbench 0.1 (schema 1; test/data/results-v1.json is a real run of it)
// still render and compare: they are converted to the current schema on read.

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readResults } from '../../src/results/read.js';
import { upgradeSample } from '../../src/results/upgrade.js';
import { ROOT } from '../basics.js';

const V1 = join(ROOT, 'test', 'data', 'results-v1.json');

describe('schema 1 results', () => {
  it('are converted on read: methods, models, null runtimes, typed warnings and stops', async () => {
    const result = await readResults(V1);
    expect(result.schemaVersion).toBe(3);
    expect(result.samples.find((s) => s.measurement === 'probe-floor')!.runtime).toBeNull();
    const memory = result.samples.filter((s) => s.measurement === 'density' && s.metric === 'memory-per-tenant');
    expect(memory.length).toBeGreaterThan(0);
    expect(memory.every((s) => s.method !== undefined && s.phase === undefined)).toBe(true);
    const load = result.samples.filter((s) => s.measurement === 'load');
    expect(load.every((s) => s.model === 'closed' && s.phase === undefined)).toBe(true);
    const bottlenecks = load.filter((s) => s.metric === 'bottleneck');
    expect(bottlenecks.length).toBeGreaterThan(0);
    expect(bottlenecks.every((s) => s.unit === 'category' && ['client-bound', 'neither saturated'].includes(s.category!))).toBe(true);
    expect(result.summaries.some((s) => s.metric === 'bottleneck')).toBe(false);
    expect(result.densityRamps[0]!.stop).toEqual({ kind: 'unknown', tenants: 3, text: 'reached the last step (3 tenants)' });
  });

  it('keeps density phases that are not memory methods as phases', () => {
    const sweep = upgradeSample({
      scenario: 's',
      measurement: 'density',
      workload: 'w',
      runtime: 'docker',
      tenants: 3,
      iteration: 0,
      phase: 'sweep',
      metric: 'sweep-latency-p50',
      unit: 'ms',
      value: 1,
    });
    expect(sweep).toMatchObject({ phase: 'sweep' });
    expect(sweep.method).toBeUndefined();
  });
});
