// A tenant that exits at start is reported at once with its exit code and its last output, by
// verify and by the cold-start probe, instead of "connection refused" after the probe's timeout.

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { type Prober, startProber } from '../src/measure/native-prober.js';
import { probeTenant, TenantExitedError } from '../src/measure/probe-tenant.js';
import { verifyRuntime } from '../src/measure/verify.js';
import type { RuntimeDriver } from '../src/runtimes/types.js';
import type { WorkloadArtifacts } from '../src/workloads/artifacts.js';
import { buildWorkload } from '../src/workloads/build.js';
import { type Workload, WorkloadSchema } from '../src/workloads/catalog.js';
import { driversFor, ROOT, runtimeAvailable } from './helpers.js';

const runtimes = ['process', ...((await runtimeAvailable('docker')) ? ['docker'] : [])];
const runId = `tenant-exit-${process.pid}`;
let artifacts: WorkloadArtifacts;
let drivers: RuntimeDriver[];
let prober: Prober;

beforeAll(async () => {
  const dir = join(ROOT, 'test', 'data', 'workloads', 'exit-c');
  const workload: Workload = { ...WorkloadSchema.parse(parse(await readFile(join(dir, 'workload.yaml'), 'utf8'))), dir };
  artifacts = await buildWorkload(workload, new Set(runtimes.includes('docker') ? ['server-app', 'image'] : ['server-app']));
  drivers = await driversFor(runtimes, runId);
  prober = await startProber('native', runId);
}, 300_000);

afterAll(async () => {
  await prober?.close();
  await Promise.all((drivers ?? []).map((d) => d.dispose()));
});

describe.each(runtimes)('a %s tenant that exits at start', (runtime) => {
  const driver = () => drivers.find((d) => d.name === runtime)!;

  it('fails verify at once with its exit code and last output', async () => {
    const started = performance.now();
    const problems = await verifyRuntime(driver(), artifacts, 60_000);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^tenant \S+ exited with code 3: exit-c: cannot start \(on purpose\)$/);
    expect(performance.now() - started).toBeLessThan(30_000); // not the probe's 60 s timeout
  });

  it("stops the native prober's probe, which then probes the next tenant", async () => {
    const deployment = await driver().deploy(artifacts, `exit-${runtime}`);
    try {
      const error = await probeTenant(prober, deployment, artifacts.workload.requests[0]!, 15_000).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TenantExitedError);
      expect((error as Error).message).toContain('exited with code 3');
    } finally {
      await driver().teardown(deployment);
    }
    // The aborted prober is replaced: a second probe runs (and is reported the same way).
    const again = await driver().deploy(artifacts, `exit-again-${runtime}`);
    try {
      await expect(probeTenant(prober, again, artifacts.workload.requests[0]!, 15_000)).rejects.toThrow(TenantExitedError);
    } finally {
      await driver().teardown(again);
    }
  });
});
