// The reachability table: in the terminal after a run, and in the HTML report, one row per runtime.
import { describe, expect, it } from 'vitest';
import { capabilities } from '../src/measure/capabilities.js';
import { renderReport } from '../src/report/page.js';
import { withProbes } from './fixtures.js';

const result = withProbes({ wasm: { 'connect-harness': 'not-available' }, process: { 'env-vars': 39, 'env-sentinel': 'reached', 'read-etc-shadow': 'reached' } });

describe('capabilities in reports', () => {
  it('prints one row per runtime with every probe\'s outcome', () => {
    const lines = capabilities.table(result)!.split('\n');
    expect(lines[1]).toMatch(/^runtime +env-vars +env-sentinel +read-etc-passwd +read-etc-shadow +read-harness-file +write-tmp +write-root +write-harness-dir +connect-harness$/);
    expect(lines[3]).toMatch(/^process +39 +reached +refused +reached +refused +refused +refused +refused +refused$/);
    expect(lines[4]).toMatch(/^wasm +0 +refused +refused +refused +refused +refused +refused +refused +not-available$/);
  });

  it('shows the table in the HTML report, and nothing when the run has no probes', async () => {
    const html = await renderReport([result]);
    expect(html).toContain('<h2>What a tenant can reach</h2>');
    expect(html).toContain('<tr><td>wasm</td><td>0</td><td>refused</td>');
    expect(capabilities.reportTable!([withProbes({})])).toBeUndefined();
  });
});
