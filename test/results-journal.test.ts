// The recorder journals every record (O(1) per sample) and writes the results file whole only at
// the end of a unit and at exit; a run killed with -9 at any moment leaves a file that report and
// compare read, with every sample it recorded, and the next read or `coldbench clean` tidies it.

import { spawnSync } from 'node:child_process';
import { appendFile, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { journalPath, readJournal, replayJournal } from '../src/results/journal.js';
import { readResults } from '../src/results/read.js';
import { ResultsRecorder } from '../src/results/recorder.js';
import type { DensityRamp, RunResult, Sample } from '../src/results/types.js';
import { coldStartTotal, syntheticResult } from './fixtures.js';
import { runCli, tempDir, writeScenario } from './helpers.js';

const sample = (iteration: number, value: number): Sample => coldStartTotal('fake', iteration, value);

async function startRecorder(dir: string): Promise<ResultsRecorder> {
  const { fingerprint, scenario, runtimes } = syntheticResult();
  return ResultsRecorder.start(join(dir, 'run-1.json'), { runId: 'run-1', fingerprint, scenario, runtimes });
}

/** A pid that no process has any more (a child that has exited). */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '0']).pid!;
}

const lines = async (file: string) => (await readFile(file, 'utf8')).split('\n').filter(Boolean).length;

describe('the results recorder', () => {
  it('records a sample by appending one journal line, without rewriting the results file', async () => {
    const dir = await tempDir();
    const recorder = await startRecorder(dir);
    const written = await readFile(recorder.file, 'utf8');
    const journal = journalPath(recorder.file);
    for (let i = 0; i < 50; i++) recorder.samples([sample(i, 10 + i)]);
    expect(await lines(journal)).toBe(51); // the header and one line per batch
    expect(await readFile(recorder.file, 'utf8')).toBe(written);
    // A reader while the run is alive sees every sample, and leaves the journal to the run.
    const read = await readResults(recorder.file);
    expect(read.samples.map((s) => s.value)).toEqual(Array.from({ length: 50 }, (_, i) => 10 + i));
    expect(read.summaries[0]).toMatchObject({ n: 50, median: 34.5 });
    expect(read.status).toBe('running');
    // The end of a unit writes the file whole and empties the journal back to its header.
    await recorder.save();
    expect(await lines(journal)).toBe(1);
    expect(JSON.parse(await readFile(recorder.file, 'utf8')).samples).toHaveLength(50);
    await recorder.finish('complete');
    await expect(stat(journal)).rejects.toThrow(/ENOENT/);
    expect((await readResults(recorder.file)).status).toBe('complete');
  });

  it('replaces a density ramp recorded again after its teardown (matched by workload and runtime identity)', async () => {
    const dir = await tempDir();
    const recorder = await startRecorder(dir);
    const ramp = (runtime: string): DensityRamp => ({
      workload: 'hello',
      runtime,
      arch: 'amd64',
      emulated: false,
      reachedTenants: 4,
      stop: { kind: 'last-step', tenants: 4 },
    });
    const fake = ramp('fake');
    recorder.ramp(fake);
    recorder.ramp(ramp('process'));
    fake.teardownMs = 12;
    recorder.ramp({ ...fake }); // a copy: the recorder does not rely on object identity
    const read = await readResults(recorder.file);
    expect(read.densityRamps.map((r) => [r.runtime, r.teardownMs])).toEqual([
      ['fake', 12],
      ['process', undefined],
    ]);
    await recorder.finish('complete');
    expect((await readResults(recorder.file)).densityRamps).toHaveLength(2);
  });

  it("gives a warning about a runtime the driver's identity (its name, never a label)", async () => {
    const dir = await tempDir();
    const recorder = await startRecorder(dir);
    recorder.warn({ kind: 'not-verified', workload: 'hello', message: 'no' }, { name: 'wasmtime', variant: 'per-tenant' });
    recorder.skipped([{ runtime: 'docker', available: false, reason: 'no engine' }]);
    recorder.warn({ kind: 'note', message: 'about the run' });
    await recorder.finish('complete');
    expect((await readResults(recorder.file)).warnings).toEqual([
      { kind: 'not-verified', workload: 'hello', message: 'no', runtime: 'wasmtime', variant: 'per-tenant', arch: expect.any(String), emulated: false },
      { kind: 'runtime-skipped', runtime: 'docker', message: 'docker is not available here: no engine' },
      { kind: 'note', message: 'about the run' },
    ]);
  });
});

describe('the journal', () => {
  it('replays idempotently: lines the file already holds change nothing (a kill between writing the file and emptying the journal)', () => {
    const base = { ...syntheticResult(), samples: [sample(0, 1), sample(1, 2)] } as RunResult;
    const entries = [
      { list: 'samples' as const, at: 0, items: [sample(0, 1)] },
      { list: 'samples' as const, at: 1, items: [sample(1, 2)] },
      { list: 'samples' as const, at: 2, items: [sample(2, 3), sample(3, 4)] },
    ];
    expect(replayJournal(base, entries).samples.map((s) => s.value)).toEqual([1, 2, 3, 4]);
    expect(base.samples).toHaveLength(2); // the file as read is left as it was
  });

  it('ignores a last line torn by a kill, and names the line of any other that is not JSON', async () => {
    const dir = await tempDir();
    const file = join(dir, 'x.journal.ndjson');
    const header = JSON.stringify({ journal: 1, runId: 'x', pid: 1 });
    const entry = JSON.stringify({ list: 'samples', at: 0, items: [sample(0, 1)] });
    await writeFile(file, `${header}\n${entry}\n{"list":"samp`);
    expect((await readJournal(file))!.entries).toHaveLength(1);
    await writeFile(file, `${header}\n{"list":"samp\n${entry}\n`);
    await expect(readJournal(file)).rejects.toThrow(`${file}:2: not JSON; expected one journal entry per line`);
  });

  it('is merged into the file by the first read after its harness is gone, which marks the run interrupted', async () => {
    const dir = await tempDir();
    const recorder = await startRecorder(dir);
    recorder.samples([sample(0, 5), sample(1, 6)]);
    // As if killed with -9: the journal's owner is a process that no longer exists.
    const journal = journalPath(recorder.file);
    const text = await readFile(journal, 'utf8');
    const pid = deadPid();
    await writeFile(journal, text.replace(`"pid":${process.pid}`, `"pid":${pid}`));
    await appendFile(journal, '{"list":"sam'); // torn in the middle of a line
    await writeFile(`${recorder.file}.${pid}.tmp`, '{"half": '); // killed in the middle of a save
    const read = await readResults(recorder.file);
    expect(read.status).toBe('interrupted');
    expect(read.samples.map((s) => s.value)).toEqual([5, 6]);
    expect(read.warnings.at(-1)!.message).toMatch(/^the run ended without finishing \(its harness was killed\)/);
    expect(await readdir(dir)).toEqual(['run-1.json']); // the journal and the half-written save gone
    expect(JSON.parse(await readFile(recorder.file, 'utf8'))).toMatchObject({ status: 'interrupted', samples: [{ value: 5 }, { value: 6 }] });
  });
});

describe('coldbench run killed with -9 (the fake runtime)', () => {
  const scenarioText = `name: killed
workloads: [hello]
runtimes: [fake]
measurements:
  coldstart: { iterations: 10000, warmup: 0, probeFloorSamples: 5 }
`;

  /** Runs until the k-th cold-start iteration is reported, then SIGKILL; the iterations it reported and the results folder. */
  async function killedRun(dir: string, afterIteration: number): Promise<{ reported: number; out: string }> {
    const scenario = await writeScenario(dir, 'killed.yaml', scenarioText);
    const out = join(dir, 'results');
    let reported = 0;
    const result = await runCli(
      ['run', scenario, '--out', out],
      (stdout, child) => {
        const seen = [...stdout.matchAll(/iteration (\d+)\//g)].map((m) => Number(m[1]));
        reported = Math.max(reported, ...seen);
        if (reported >= afterIteration && child.exitCode === null && !child.killed) child.kill('SIGKILL');
      },
      { COLDBENCH_TEST_RUNTIMES: '1' },
    );
    expect(result.code).toBe(null);
    return { reported, out };
  }

  it('leaves a results file that report and compare read, with every recorded sample; the read tidies it', async () => {
    const dir = await tempDir();
    const { reported, out } = await killedRun(dir, 40);
    const names = await readdir(out);
    const file = join(out, names.find((n) => n.endsWith('.json'))!);
    expect(names.some((n) => n.endsWith('.journal.ndjson'))).toBe(true); // killed: nothing merged it yet
    const report = await runCli(['report', file, '--out', join(dir, 'report.html')]);
    expect(report.stderr).toBe('');
    expect(report.code).toBe(0);
    const run = await readResults(file);
    expect(run.status).toBe('interrupted');
    const totals = run.samples.filter((s) => s.measurement === 'coldstart' && s.phase === 'total').map((s) => s.iteration);
    // Every iteration reported before the kill was recorded first, in order, with none missing.
    expect(totals.length).toBeGreaterThanOrEqual(reported);
    expect(totals).toEqual(totals.map((_, i) => i));
    expect(run.samples.filter((s) => s.measurement === 'probe-floor' && s.phase === 'probe-floor')).toHaveLength(5);
    expect(await readdir(out)).toEqual([names.find((n) => n.endsWith('.json'))]); // the journal merged and gone
    const compare = await runCli(['compare', file, file]);
    expect(compare.code).toBe(0);
    expect(compare.stdout).toMatch(/hello/);
  });

  it('leaves a file that `coldbench clean` tidies, at whichever moment it was killed', async () => {
    for (const after of [1, 7, 23]) {
      const dir = await tempDir();
      const { reported, out } = await killedRun(dir, after);
      const clean = await runCli(['clean', '--results', out]);
      expect(clean.code).toBe(0);
      expect(clean.stdout).toContain(`tidied 1 results file of killed runs in ${out}`);
      const names = await readdir(out);
      expect(names).toHaveLength(1);
      const run = JSON.parse(await readFile(join(out, names[0]!), 'utf8')) as RunResult;
      expect(run.status).toBe('interrupted');
      expect(run.samples.filter((s) => s.measurement === 'coldstart' && s.phase === 'total').length).toBeGreaterThanOrEqual(reported);
      expect(run.summaries.length).toBeGreaterThan(0);
    }
  });
});
