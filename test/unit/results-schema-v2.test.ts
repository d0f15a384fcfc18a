// Results of schema 2 stored categories as numeric codes (unit "code"): a load pass's bottleneck
// and each capability probe's outcome. They are converted to categories on read, get no medians,
// and read as before.

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { capabilities } from '../../src/measure/capabilities-read.js';
import { load } from '../../src/measure/load-read.js';
import { readResults } from '../../src/results/read.js';
import type { RunResult, Sample } from '../../src/results/types.js';
import { tempDir } from '../basics.js';
import { withProbes, writeResult } from '../fixtures.js';

/** A file as schema 2 wrote it: categories as codes, with their medians among the summaries. */
function asSchema2(result: RunResult): RunResult {
  const load = ['neither saturated', 'server-bound', 'client-bound'];
  const outcomes = ['refused', 'reached', 'not-available'];
  const samples = result.samples.map(({ category, ...s }): Sample => {
    if (category === undefined) return s;
    const codes = s.measurement === 'load' ? load : outcomes;
    return { ...s, unit: 'code', value: codes.indexOf(category) };
  });
  return { ...result, schemaVersion: 2, samples };
}

describe('schema 2 results', () => {
  it('have their codes read as categories, which get no summaries and read as they did', async () => {
    const current = withProbes({
      process: { 'env-sentinel': 'reached', 'connect-harness': 'reached', 'env-vars': 40 },
      wasm: { 'write-root': 'not-available' },
    });
    const file = await writeResult(await tempDir(), 'v2.json', asSchema2(current));
    const read = await readResults(file);
    expect(read.schemaVersion).toBe(3);
    expect(read.samples).toEqual(current.samples);
    expect(read.summaries.filter((s) => s.metric === 'bottleneck' || ['code', 'category'].includes(s.unit))).toEqual([]);
    expect(read.summaries.some((s) => s.metric === 'env-vars')).toBe(true); // a count is a quantity
    expect(load.read.table(read)).toMatch(/process .*client-bound/);
    expect(load.read.table(read)).toMatch(/docker .*server-bound/);
    expect(capabilities.read.table(read)).toEqual(capabilities.read.table(current));
    expect(capabilities.read.headlines(read, {})).toContain('capability-probe: process reached env-sentinel, connect-harness (sees 40 environment variables).');
  });

  it('keep a malformed file malformed, for the shape check to name', async () => {
    const dir = await tempDir();
    const file = await writeResult(dir, 'bad.json', { ...asSchema2(withProbes({})), samples: 'none' as never });
    await expect(readResults(file)).rejects.toThrow(`${join(dir, 'bad.json')}: samples: `);
  });
});
