// The Docker engine stopping in the middle of a run: one clear line, a valid results file that says
// "failed", nothing of the run left running, and the engine back (started by the set-up) after.
// Only where this test may restart the engine: as root, with a dockerd of this machine.

import { execFile } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { readResults } from '../src/results/read.js';
import { processesOfRun, ROOT, runCli, runtimeAvailable, tempDir, writeScenario } from './helpers.js';

const run = promisify(execFile);
const ownEngine =
  process.getuid?.() === 0 &&
  (await runtimeAvailable('docker')) &&
  (await run('pgrep', ['-x', 'dockerd']).then(
    () => true,
    () => false,
  ));

afterAll(async () => {
  if (!ownEngine) return;
  await run('bash', [join(ROOT, 'scripts', 'setup.sh')], { cwd: ROOT, timeout: 120_000 });
  await runCli(['clean']); // the containers the stopped engine kept
});

describe.skipIf(!ownEngine)('the Docker engine stopping mid-run (restarts dockerd)', () => {
  it('ends the run with one clear line and a failed, readable results file, and leaks no process', async () => {
    const dir = await tempDir();
    const scenario = await writeScenario(
      dir,
      'engine.yaml',
      `name: engine-stop
workloads: [hello-c]
runtimes: [docker, process]
measurements:
  coldstart: { iterations: 500, warmup: 0, probeFloorSamples: 5 }
`,
    );
    let runId = '';
    let stopped = false;
    const result = await runCli(['run', scenario, '--out', join(dir, 'results')], (stdout) => {
      runId ||= /run (\S+):/.exec(stdout)?.[1] ?? '';
      if (!stopped && /iteration 3\//.test(stdout)) {
        stopped = true;
        void run('pkill', ['-x', 'dockerd']);
      }
    });
    expect(stopped).toBe(true);
    expect(result.code).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines.length).toBeLessThanOrEqual(3); // the failure, tenants it could not remove, where the results are
    // It stops answering, or answers 500 while it shuts down, depending on the moment.
    expect(lines).toContainEqual(expect.stringMatching(/^coldbench run: the Docker engine (stopped answering|failed)/));
    expect(lines.at(-1)).toMatch(/^partial results: /);
    const [file] = await readdir(join(dir, 'results'));
    const saved = await readResults(join(dir, 'results', file!));
    expect(saved.status).toBe('failed');
    expect(saved.samples.filter((s) => s.runtime === 'docker' && s.measurement === 'coldstart').length).toBeGreaterThan(0);
    expect(await processesOfRun(runId)).toBe(0);
  }, 300_000);
});
