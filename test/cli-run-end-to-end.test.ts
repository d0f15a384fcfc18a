// `coldbench run` end to end on the real engines: one results file with cold starts for every
// runtime, and nothing left running afterwards, also after a Ctrl-C in the middle.

import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readResults } from '../src/results/read.js';
import type { RunResult } from '../src/results/types.js';
import { loadScenario } from '../src/scenario/load.js';
import { containersOfRun, processesOfRun, ROOT, runCli, runtimeAvailable, tempDir, writeScenario } from './helpers.js';

const dockerHere = await runtimeAvailable('docker');

async function onlyResult(dir: string): Promise<RunResult> {
  const files = await readdir(dir);
  expect(files).toHaveLength(1);
  expect(files[0]).toMatch(/\.json$/);
  return JSON.parse(await readFile(join(dir, files[0]!), 'utf8')) as RunResult;
}

describe('coldbench run without any engine (the tests-only fake runtime)', () => {
  it('runs every measurement kind end to end and writes results, tables and a report', async () => {
    const dir = await tempDir();
    const scenario = await writeScenario(
      dir,
      'fake.yaml',
      `name: fake-e2e
workloads: [json]
runtimes: [fake]
measurements:
  coldstart: { iterations: 3, warmup: 1, probeFloorSamples: 5 }
  load: { durationSec: 1, warmupSec: 0, repetitions: 1, connections: 2 }
  density: { steps: [1, 2], settleMs: 0 }
`,
    );
    const out = join(dir, 'results');
    const report = join(dir, 'fake.html');
    const result = await runCli(['run', scenario, '--out', out, '--report', report], undefined, { COLDBENCH_TEST_RUNTIMES: '1' });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const run = await onlyResult(out);
    expect(run).toMatchObject({ schemaVersion: 3, status: 'complete' });
    // A busy machine is worth a warning, but depends on what else runs here; nothing else may warn.
    expect(run.warnings.filter((w) => w.kind !== 'busy-machine')).toEqual([]);
    expect(run.noise?.map((n) => n.measurement)).toEqual(['coldstart', 'load', 'density']);
    expect(new Set(run.samples.map((s) => s.measurement))).toEqual(new Set(['probe-floor', 'coldstart', 'load', 'density']));
    expect(run.samples.filter((s) => s.measurement === 'coldstart' && s.phase === 'total')).toHaveLength(3);
    expect(run.samples.find((s) => s.measurement === 'density' && s.tenants === 2 && s.method === 'declared')!.value).toBe(1); // 1 MiB per tenant
    expect(run.samples.find((s) => s.measurement === 'load' && s.metric === 'throughput')!.value).toBeGreaterThan(10);
    expect(run.densityRamps).toEqual([expect.objectContaining({ runtime: 'fake', reachedTenants: 2, stop: { kind: 'last-step', tenants: 2 } })]);
    expect(result.stdout).toMatch(/median ms/);
    expect(result.stdout).toMatch(/req\/s \(median, (95% CI|interval); detectable at 80\/90% power\)/);
    expect(result.stdout).toContain('json on fake: 2 tenants (reached the last step (2 tenants))');
    expect(await readFile(report, 'utf8')).toContain(`run <code>${run.runId}</code>`);
  });

  it('exits 1 with a failed results file when nothing could be measured', async () => {
    const dir = await tempDir();
    const scenario = await writeScenario(
      dir,
      'wrong.yaml',
      `name: fake-wrong
workloads: [hello]
runtimes: [fake]
fake: { answers: wrong }
measurements:
  coldstart: { iterations: 2, warmup: 0, probeFloorSamples: 5, timeoutMs: 500 }
`,
    );
    const out = join(dir, 'results');
    const result = await runCli(['run', scenario, '--out', out], undefined, { COLDBENCH_TEST_RUNTIMES: '1' });
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe(
      'coldbench run: nothing was measured: no runtime answered the workloads as expected, or no measurement produced a sample (see the warnings)',
    );
    const run = await onlyResult(out);
    expect(run.status).toBe('failed');
    expect(run.warnings.map((w) => w.kind)).toEqual(expect.arrayContaining(['not-verified', 'failed']));
    expect(run.samples.filter((s) => s.measurement === 'coldstart')).toEqual([]);
  });
});

describe('coldbench run', () => {
  it('writes one results file with phased cold starts for every runtime of quick.yaml that is here', async () => {
    const dir = await tempDir();
    const out = join(dir, 'results');
    const report = join(dir, 'quick.html');
    const result = await runCli(['run', 'scenarios/quick.yaml', '--iterations', '3', '--out', out, '--report', report]);
    expect(result.code).toBe(0);
    const run = await onlyResult(out);
    expect(run).toMatchObject({ schemaVersion: 3, status: 'complete' });
    const quickRuntimes = (await loadScenario(join(ROOT, 'scenarios', 'quick.yaml'))).runtimes;
    const missing: string[] = [];
    for (const name of quickRuntimes) if (!(await runtimeAvailable(name))) missing.push(name);
    expect(run.warnings.filter((w) => w.kind === 'runtime-skipped').map((w) => w.runtime)).toEqual(missing);
    expect(run.warnings.filter((w) => w.kind !== 'runtime-skipped' && w.kind !== 'busy-machine')).toEqual([]);
    expect(run.fingerprint).toMatchObject({ arch: process.arch, node: process.version, jco: expect.any(String) });
    const phases = (runtime: string) => new Set(run.samples.filter((s) => s.runtime === runtime && s.measurement === 'coldstart').map((s) => s.phase));
    if (dockerHere) {
      expect(run.fingerprint.docker).toMatch(/Docker engine/);
      expect(phases('docker')).toEqual(new Set(['create', 'start', 'first-response', 'total']));
    }
    expect(phases('process')).toEqual(new Set(['spawn', 'first-response', 'total']));
    expect(phases('wasm')).toEqual(new Set(['instantiate', 'first-call', 'first-response', 'harness', 'total']));
    const setup = run.samples.filter((s) => s.measurement === 'setup' && s.runtime === 'wasm').map((s) => s.phase);
    expect(setup).toContain('host-start');
    expect(run.samples.filter((s) => s.phase === 'probe-floor').length).toBe(50);
    for (const runtime of dockerHere ? ['docker', 'wasm', 'process'] : ['wasm', 'process']) {
      const total = run.summaries.find((s) => s.runtime === runtime && s.phase === 'total')!;
      expect(total.n).toBe(3);
      // Three values are too few for a 95% interval of the median: none is claimed.
      expect(total.ci95).toBeNull();
      expect(total.ciLevel).toBe(0.75);
    }
    expect(result.stdout).toMatch(/median ms/);
    expect(result.stdout).toContain(`report: ${report}`);
    expect(await readFile(report, 'utf8')).toContain(`run <code>${run.runId}</code>`);
    expect(await containersOfRun(run.runId)).toBe(0);
    expect(await processesOfRun(run.runId)).toBe(0);
  });

  it('cleans up everything on Ctrl-C and keeps what it measured', async () => {
    const dir = await tempDir();
    const scenario = await writeScenario(
      dir,
      'long.yaml',
      `name: long
workloads: [hello]
runtimes: [docker, wasm, process]
measurements:
  coldstart: { iterations: 500, warmup: 0, probeFloorSamples: 5 }
`,
    );
    const out = join(dir, 'results');
    let interrupted = false;
    const result = await runCli(['run', scenario, '--out', out], (stdout, child) => {
      if (!interrupted && /iteration 3\//.test(stdout)) {
        interrupted = true;
        child.kill('SIGINT');
      }
    });
    expect(interrupted).toBe(true);
    expect(result.code).toBe(130);
    const run = await onlyResult(out);
    expect(run.status).toBe('interrupted');
    expect(run.samples.filter((s) => s.measurement === 'coldstart').length).toBeGreaterThan(0);
    expect(await containersOfRun(run.runId)).toBe(0);
    expect(await processesOfRun(run.runId)).toBe(0);
  });

  it('on a second Ctrl-C exits at once, with the results file marked interrupted, and its reaper removes the tenants', async () => {
    const dir = await tempDir();
    const scenario = await writeScenario(
      dir,
      'twice.yaml',
      `name: twice
workloads: [hello-c]
runtimes: [process, wasm]
measurements:
  coldstart: { iterations: 500, warmup: 0, probeFloorSamples: 5 }
`,
    );
    let runId = '';
    let interrupted = false;
    const result = await runCli(['run', scenario, '--out', join(dir, 'results')], (stdout, child) => {
      runId ||= /run (\S+):/.exec(stdout)?.[1] ?? '';
      if (!interrupted && /iteration 2\//.test(stdout)) {
        interrupted = true;
        child.kill('SIGINT');
        setTimeout(() => child.kill('SIGINT'), 20); // while the first one's cleanup runs
      }
    });
    // 130; or killed by the second SIGINT itself when it lands while the process is already exiting.
    expect([130, null]).toContain(result.code);
    const run = await onlyResult(join(dir, 'results'));
    expect(run.status).toBe('interrupted');
    // "…, then interrupted again: …" when the second signal came before the first cleanup ended.
    expect(run.warnings.at(-1)!.message).toMatch(/^interrupted by SIGINT/);
    let left = Infinity;
    for (let waited = 0; waited < 30_000 && left > 0; waited += 250) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      left = await processesOfRun(runId);
    }
    expect(left).toBe(0);
  });

  it("leaves nothing behind when the harness is killed: its reaper removes the run's tenants", async () => {
    const dir = await tempDir();
    // Killed in the middle of a density ramp, with tenants up: containers and process tenants have
    // no watchdog of their own (Wasm hosts and helpers do), so only the reaper can remove them.
    const scenario = await writeScenario(
      dir,
      'crash.yaml',
      `name: crash
workloads: [hello-c]
runtimes: [${dockerHere ? 'docker, ' : ''}process]
measurements:
  density: { steps: [2, 4], settleMs: 3000 }
`,
    );
    let runId = '';
    const crashed = await runCli(['run', scenario, '--out', join(dir, 'results')], (stdout, child) => {
      runId ||= /run (\S+):/.exec(stdout)?.[1] ?? '';
      if (/on \S+: 2 tenants/.test(stdout) && child.exitCode === null && !child.killed) child.kill('SIGKILL');
    });
    expect(crashed.code).toBe(null); // killed, no cleanup ran
    expect(runId).not.toBe('');
    // No `clean`, no next run: the run's reaper saw its harness go and removed what it left.
    let left = Infinity;
    for (let waited = 0; waited < 30_000 && left > 0; waited += 250) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      left = (await containersOfRun(runId)) + (await processesOfRun(runId));
    }
    expect(left).toBe(0);
    expect(crashed.stderr).toMatch(/coldbench: removed \d+ container\(s\) and \d+ process\(es\) of run .*, whose harness ended without cleaning up/);
    expect(crashed.stderr).not.toMatch(/removed 0 container\(s\) and 0 process/);
    // The results file holds the first step, recorded before its progress line, and says the run was killed.
    const files = (await readdir(join(dir, 'results'))).filter((f) => f.endsWith('.json'));
    const saved = await readResults(join(dir, 'results', files[0]!));
    expect(saved.status).toBe('interrupted');
    expect(saved.samples.some((s) => s.measurement === 'density' && s.tenants === 2)).toBe(true);
    const clean = await runCli(['clean']);
    expect(clean.code).toBe(0);
  });
});
