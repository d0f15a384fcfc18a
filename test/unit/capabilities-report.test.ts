// The reachability table: in the terminal after a run, and in the HTML report, one row per runtime;
// and the scenario check that a capabilities measurement has its probe workload.

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { capabilities } from '../../src/measure/capabilities-read.js';
import { renderReport } from '../../src/report/page.js';
import { loadScenario } from '../../src/scenario/load.js';
import { ROOT, tempDir, writeScenario } from '../basics.js';
import { withProbes } from '../fixtures.js';

const result = withProbes({
  wasm: { 'connect-harness': 'not-available' },
  process: { 'env-vars': 39, 'env-sentinel': 'reached', 'read-etc-shadow': 'reached' },
});

describe('capabilities in reports', () => {
  it("prints one row per runtime with every probe's outcome", () => {
    const lines = capabilities.read.table(result)!.split('\n');
    expect(lines[1]).toMatch(
      /^runtime +env-vars +env-sentinel +read-etc-passwd +read-etc-shadow +read-harness-file +write-tmp +write-root +write-harness-dir +connect-harness$/,
    );
    expect(lines[3]).toMatch(/^process +39 +reached +refused +reached +refused +refused +refused +refused +refused$/);
    expect(lines[4]).toMatch(/^wasm +0 +refused +refused +refused +refused +refused +refused +refused +not-available$/);
  });

  it('shows the table in the HTML report, and nothing when the run has no probes', async () => {
    const html = await renderReport([result]);
    expect(html).toContain('<h2>What a tenant can reach</h2>');
    expect(html).toContain('<tr><td>wasm</td><td>0</td><td>refused</td>');
    expect(capabilities.read.reportTable!([withProbes({})])).toBeUndefined();
  });
});

describe('a capabilities scenario', () => {
  it('must name the probe workload: one line naming the file and the field', async () => {
    const file = await writeScenario(
      await tempDir(),
      'no-probe.yaml',
      'name: x\nworkloads: [hello-c]\nruntimes: [process]\nmeasurements:\n  capabilities: {}\n',
    );
    await expect(loadScenario(file)).rejects.toThrow(
      `${file}: workloads: expected capability-probe among them (the capabilities measurement asks it what it can reach)`,
    );
    await expect(loadScenario(join(ROOT, 'scenarios', 'capabilities.yaml'))).resolves.toMatchObject({ measurements: { capabilities: { timeoutMs: 15000 } } });
  });
});
