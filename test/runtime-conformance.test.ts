// Every runtime driver passes the same checks against the real engines: a real Docker engine,
// real components in the coldbench Wasm host, real processes, real HTTP on 127.0.0.1.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RUNTIME_NAMES, DEFAULT_RUNTIME_SETTINGS, type RuntimeName, type Scenario } from '../src/scenario/schema.js';
import { createDriver } from '../src/runtimes/index.js';
import type { Deployment, RuntimeDriver } from '../src/runtimes/types.js';
import { loadWorkload } from '../src/workloads/catalog.js';
import { buildWorkload } from '../src/workloads/build.js';
import type { WorkloadArtifacts } from '../src/workloads/artifacts.js';
import { verifyDeployment } from '../src/measure/verify.js';
import { probeFirstResponse } from '../src/measure/probe.js';
import { httpRequest } from '../src/measure/http-get.js';
import { containersOfRun, processesOfRun } from './helpers.js';

let artifacts: WorkloadArtifacts;

beforeAll(async () => {
  artifacts = await buildWorkload(await loadWorkload('hello'), [...RUNTIME_NAMES]);
});

const CASES: [string, RuntimeName, Pick<Scenario, 'docker'>][] = [
  ['docker (host network)', 'docker', DEFAULT_RUNTIME_SETTINGS],
  ['docker (bridge, published on 127.0.0.1)', 'docker', { docker: { network: 'bridge' } }],
  ['wasm (shared host)', 'wasm', DEFAULT_RUNTIME_SETTINGS],
  ['wasm-per-process (a host per tenant)', 'wasm-per-process', DEFAULT_RUNTIME_SETTINGS],
  ['process', 'process', DEFAULT_RUNTIME_SETTINGS],
];

for (const [label, name, settings] of CASES) {
  describe(`${label} driver`, () => {
    const runId = `conformance-${name}-${process.pid}-${label.length}`;
    let driver: RuntimeDriver;

    beforeAll(() => {
      driver = createDriver(name, { runId }, settings);
    });
    afterAll(async () => {
      await driver.dispose();
    });

    it('is available here', async () => {
      expect(await driver.available()).toMatchObject({ available: true });
    });

    it('deploys independent tenants on 127.0.0.1 that answer exactly as declared', async () => {
      await driver.prepare?.(artifacts);
      const a = await driver.deploy(artifacts, 'tenant-a');
      const b = await driver.deploy(artifacts, 'tenant-b');
      for (const d of [a, b]) {
        expect(new URL(d.baseUrl).hostname).toBe('127.0.0.1');
        expect(d.phases.length).toBeGreaterThan(0);
        for (const { ms } of d.phases) expect(ms).toBeGreaterThanOrEqual(0);
        await probeFirstResponse(d.baseUrl, artifacts.workload.requests[0]!, 15000);
        expect(await verifyDeployment(artifacts.workload, d)).toEqual([]);
      }
      expect(a.baseUrl).not.toBe(b.baseUrl);
      await driver.teardown(a);
      expect(await answers(a)).toBe(false);
      expect(await answers(b)).toBe(true); // the other tenant keeps serving
      await driver.teardown(b);
    });

    it('leaves no container or process behind after dispose', async () => {
      await driver.deploy(artifacts, 'tenant-left-open');
      await driver.dispose();
      expect(await processesOfRun(runId)).toBe(0);
      if (name === 'docker') expect(await containersOfRun(runId)).toBe(0);
    });
  });
}

async function answers(d: Deployment): Promise<boolean> {
  try {
    const answer = await httpRequest(new URL(d.baseUrl + '/'), 'GET', undefined, 2000);
    return answer.status === 200;
  } catch {
    return false;
  }
}
