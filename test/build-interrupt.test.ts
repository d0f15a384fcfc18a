// A component build is interruptible: it runs in a child process group (componentize-js blocks the
// event loop of the process it runs in), so an abort ends it, and the wizer it runs, at once.

import { randomUUID } from 'node:crypto';
import { copyFile, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { buildWorkload } from '../src/workloads/build.js';
import { type Workload, WorkloadSchema } from '../src/workloads/catalog.js';
import { componentDir } from '../src/workloads/component-dir.js';
import { processesOfRun, ROOT, tempDir } from './helpers.js';

const runId = `build-interrupt-${process.pid}`;
let workload: Workload | undefined;

afterAll(async () => {
  if (workload) await rm((await componentDir(workload)).dir, { recursive: true, force: true });
});

describe('a component build', () => {
  it('stops at once when its signal aborts, and leaves no process behind', async () => {
    // A copy of a JS fixture with a unique comment: never cached, so componentize-js really runs (tens of seconds).
    const source = join(ROOT, 'test', 'data', 'workloads', 'async-js');
    const dir = await tempDir();
    await copyFile(join(source, 'workload.yaml'), join(dir, 'workload.yaml'));
    await writeFile(join(dir, 'handler.js'), `${await readFile(join(source, 'handler.js'), 'utf8')}\n// ${randomUUID()}\n`);
    workload = { ...WorkloadSchema.parse(parse(await readFile(join(dir, 'workload.yaml'), 'utf8'))), dir };

    const controller = new AbortController();
    const building = buildWorkload(workload, new Set(['component']), { signal: controller.signal, runId });
    await new Promise((resolve) => setTimeout(resolve, 3000)); // well inside the build
    expect(await processesOfRun(runId)).toBeGreaterThan(0);
    const aborted = performance.now();
    controller.abort(new Error('interrupted by SIGINT'));
    await expect(building).rejects.toThrow('interrupted by SIGINT');
    expect(performance.now() - aborted).toBeLessThan(5000); // not the rest of the build
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await processesOfRun(runId)).toBe(0);
  }, 60_000);
});
