// What a first user hit (workload files, scenario checks, CLI messages, interrupts, clean), each
// pinned by a test.

import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatBytes, plural } from '../src/format.js';
import { describeDifference } from '../src/measure/verify.js';
import { fingerprint } from '../src/results/fingerprint.js';
import type { RunResult } from '../src/results/types.js';
import { loadScenario } from '../src/scenario/load.js';
import { loadWorkload, workloadJsonSchema } from '../src/workloads/catalog.js';
import { processesOfRun, ROOT, runCli, tempDir, writeScenario } from './helpers.js';

const WORKLOADS = join(ROOT, 'workloads');

/** A workload folder of the test's own, removed afterwards (the catalog reads workloads/). */
async function withWorkload(folder: string, yaml: string, test: () => Promise<void>): Promise<void> {
  const dir = join(WORKLOADS, folder);
  await mkdir(dir, { recursive: true });
  try {
    await writeFile(join(dir, 'workload.yaml'), yaml);
    await writeFile(join(dir, 'handler.js'), 'export function handle() { return { status: 200, body: "x" }; }\n');
    await test();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('workload.yaml', () => {
  it('names the file, line and field of a mistake (9)', async () => {
    await withWorkload(
      'zz-test-bad',
      'name: zz-test-bad\nlanguage: js\nhandler: handler.js\nrequests:\n  - path: /\n    expect: { status: 200, body: x }\n    hedaers: { a: b }\n',
      async () => {
        await expect(loadWorkload('zz-test-bad')).rejects.toThrow(`${join(WORKLOADS, 'zz-test-bad', 'workload.yaml')}:7: requests[0].hedaers: unknown field`);
      },
    );
  });

  it('declares request headers (9)', async () => {
    await withWorkload(
      'zz-test-headers',
      'name: zz-test-headers\nlanguage: js\nhandler: handler.js\nrequests:\n  - path: /\n    headers: { content-type: application/json }\n    expect: { status: 200, body: x }\n',
      async () => {
        expect((await loadWorkload('zz-test-headers')).requests[0]!.headers).toEqual({ 'content-type': 'application/json' });
      },
    );
  });

  it('must be named like its folder, so no build can write outside the project (9)', async () => {
    await withWorkload(
      'zz-test-name',
      'name: ../../../../tmp/x\nlanguage: js\nhandler: handler.js\nrequests:\n  - path: /\n    expect: { status: 200, body: x }\n',
      async () => {
        await expect(loadWorkload('zz-test-name')).rejects.toThrow(/name: letters, digits/);
      },
    );
    await withWorkload(
      'zz-test-other',
      'name: other\nlanguage: js\nhandler: handler.js\nrequests:\n  - path: /\n    expect: { status: 200, body: x }\n',
      async () => {
        await expect(loadWorkload('zz-test-other')).rejects.toThrow('name: expected "zz-test-other" (the folder\'s name), got "other"');
      },
    );
  });

  it('has a committed JSON Schema in step with the code (9)', async () => {
    const committed = JSON.parse(await readFile(join(WORKLOADS, 'workload.schema.json'), 'utf8'));
    expect(committed).toEqual(JSON.parse(JSON.stringify(workloadJsonSchema())));
  });
});

describe('scenario checks before anything starts', () => {
  it('refuses a load request index a workload does not declare, with exit 2 and nothing started (4)', async () => {
    const dir = await tempDir();
    const hello = (await loadWorkload('hello')).requests.length;
    const file = await writeScenario(dir, 's.yaml', `name: s\nworkloads: [hello]\nruntimes: [process]\nmeasurements:\n  load: { request: ${hello} }\n`);
    await expect(loadScenario(file)).rejects.toThrow(
      `${file}: measurements.load.request: workload hello declares ${plural(hello, 'request')} (indexes 0–${hello - 1}), got ${hello}`,
    );
    const out = join(dir, 'results');
    const result = await runCli(['run', file, '--out', out]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    await expect(readdir(out)).rejects.toThrow(/ENOENT/);
  });

  it('lets the load request be chosen per workload (4)', async () => {
    const dir = await tempDir();
    const file = await writeScenario(
      dir,
      's.yaml',
      'name: s\nworkloads: [hello, json]\nruntimes: [process]\nmeasurements:\n  load: { request: { json: 1 } }\n',
    );
    expect((await loadScenario(file)).measurements.load!.request).toEqual({ json: 1 });
    const bad = await writeScenario(dir, 'b.yaml', 'name: s\nworkloads: [hello]\nruntimes: [process]\nmeasurements:\n  load: { request: { jsno: 1 } }\n');
    await expect(loadScenario(bad)).rejects.toThrow('measurements.load.request.jsno: not a workload of this scenario');
  });
});

describe('messages', () => {
  it('verify shows a short body whole, so a trap message is readable (10)', () => {
    const trap = 'tenant hello-c trapped: RuntimeError: unreachable executed at wasi_http_handle (wasm-function[12]:0x1234)\n';
    expect(describeDifference('hello\n', trap)).toContain(JSON.stringify(trap));
  });

  it('suggests the nearest option and says the command once (11)', async () => {
    const result = await runCli(['run', 'scenarios/quick.yaml', '--iteration', '3']);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe('coldbench run: unknown option --iteration; did you mean --iterations? (see coldbench run --help)');
    const missing = await runCli(['compare', 'a.json']);
    expect(missing.stderr.trim()).toBe('coldbench compare: expected two results files, got 1');
  });

  it('prints sizes in the unit that suits them and counts in the right number (12)', () => {
    expect(formatBytes(20_480)).toBe('20 KiB');
    expect(formatBytes(12.4 * 1024 * 1024)).toBe('12.4 MiB');
    expect(plural(1, 'request')).toBe('1 request');
    expect(plural(2, 'request')).toBe('2 requests');
  });

  it('records whether the tree had uncommitted changes (13)', async () => {
    const print = await fingerprint();
    expect(typeof print.gitDirty).toBe('boolean');
  });
});

describe('interrupts and clean', () => {
  it('an interrupt during load ends the run as interrupted by SIGINT, not as a worker failure (3)', async () => {
    const dir = await tempDir();
    const scenario = await writeScenario(
      dir,
      'load.yaml',
      'name: long-load\nworkloads: [hello]\nruntimes: [process]\nmeasurements:\n  load: { durationSec: 30, warmupSec: 0, repetitions: 1 }\n',
    );
    const out = join(dir, 'results');
    let sent = 0;
    const result = await runCli(['run', scenario, '--out', out], (stdout, child) => {
      if (!sent && /answers all/.test(stdout)) {
        sent = Date.now();
        setTimeout(() => child.kill('SIGINT'), 1500); // inside the load pass
      }
    });
    const tookMs = Date.now() - sent;
    expect(result.code).toBe(130);
    expect(result.stderr).toContain('partial results: ');
    const [file] = await readdir(out);
    const run = JSON.parse(await readFile(join(out, file!), 'utf8')) as RunResult;
    expect(run.status).toBe('interrupted');
    expect(run.finishedAt).toBeTruthy();
    expect(run.warnings.map((w) => w.message)).toContain('interrupted by SIGINT');
    expect(tookMs).toBeLessThan(1500 + 3000);
  });

  it('clean leaves a live run alone unless --all (15)', async () => {
    const dir = await tempDir();
    const scenario = await writeScenario(
      dir,
      'live.yaml',
      'name: live\nworkloads: [hello]\nruntimes: [process]\nmeasurements:\n  load: { durationSec: 20, warmupSec: 0, repetitions: 1 }\n',
    );
    let asked = false;
    let liveAfterClean = -1;
    const result = await runCli(['run', scenario, '--out', join(dir, 'results')], (stdout, child) => {
      const runId = /run (\S+):/.exec(stdout)?.[1];
      if (!asked && runId && /answers all/.test(stdout)) {
        asked = true;
        void runCli(['clean']).then(async () => {
          liveAfterClean = await processesOfRun(runId); // the tenant and the load worker
          child.kill('SIGINT');
        });
      }
    });
    expect(result.code).toBe(130);
    expect(liveAfterClean).toBeGreaterThan(0);
  });
});
