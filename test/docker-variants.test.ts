// docker's OCI runtimes and start models on the real engine: each variant runs its containers with
// the OCI runtime it names, pre-created containers are created outside the measured window, and
// restore runs only where CRIU can checkpoint (test/unit/docker-variants.test.ts: their names).
import type Docker from 'dockerode';
import { afterAll, describe, expect, it } from 'vitest';
import { docker } from '../src/runtimes/docker.js';
import { dockerClient, RUN_LABEL } from '../src/runtimes/docker-client.js';
import { criuCheck } from '../src/runtimes/docker-start-models.js';
import { availableDrivers } from '../src/runtimes/select.js';
import type { RuntimeDriver } from '../src/runtimes/types.js';
import { descendants } from '../src/sys/container-memory.js';
import { parentPid } from '../src/sys/proc.js';
import { artifactsFor, containersOfRun, runtimeAvailable } from './helpers.js';

describe.skipIf(!(await runtimeAvailable('docker')))('docker variants on the engine', () => {
  const runId = `docker-variants-${process.pid}`;
  let drivers: RuntimeDriver[] = [];
  afterAll(async () => {
    await Promise.all(drivers.map((d) => d.dispose()));
    expect(await containersOfRun(runId)).toBe(0);
  });

  it('restore is measured only where CRIU can checkpoint; elsewhere it is skipped with criu check’s own error', async () => {
    const options = docker.options!.parse({ startModel: ['restore'] });
    const availability = await docker.variantAvailable!(options, 'restore');
    const problem = await criuCheck();
    if (problem) {
      expect(availability.available).toBe(false);
      if (!availability.available) expect(availability.reason).toContain(problem);
    } else {
      const experimental = ((await (await dockerClient()).info()) as { ExperimentalBuild?: boolean }).ExperimentalBuild;
      expect(availability.available).toBe(Boolean(experimental));
    }
  });

  it('runs each variant with its OCI runtime; pre-created containers are created before the measured window', async () => {
    const artifacts = await artifactsFor('hello-c', ['docker']);
    const settings = { docker: { ociRuntimes: ['runc', 'crun', 'runsc'], startModel: ['pre-created'] } };
    drivers = (await availableDrivers(['docker'], { runId }, settings, () => {})).drivers;
    const engine = await dockerClient();
    expect(drivers.length).toBeGreaterThan(0);
    for (const driver of drivers) {
      const oci = driver.variant!.split('/')[0]!;
      await driver.prepare?.(artifacts);
      // The one staged by prepare is ready: its create is marked as done ahead, outside total.
      const first = await driver.deploy(artifacts, 'first');
      expect(first.phases.map((p) => [p.phase, p.ahead ?? false])).toEqual([
        ['create', true],
        ['start', false],
      ]);
      // A second at once (as density deploys) finds none staged: its create is in its window.
      const second = await driver.deploy(artifacts, 'second');
      expect(second.phases.map((p) => [p.phase, p.ahead ?? false])).toEqual([
        ['create', false],
        ['start', false],
      ]);
      const listed = await engine.listContainers({ all: true, filters: { label: [`${RUN_LABEL}=${runId}`] } });
      for (const info of listed) expect((await engine.getContainer(info.Id).inspect()).HostConfig.Runtime).toBe(oci);
      const memory = await driver.memory!([first]);
      expect(memory.find((m) => m.method === 'workload-pss')!.bytes).toBeGreaterThan(0);
      if (oci === 'runsc') {
        // gVisor's sandbox and gofer are both under the shim, and both counted.
        const { container } = first as unknown as { container: Docker.Container };
        const shim = await parentPid((await container.inspect()).State.Pid);
        expect((await descendants(shim)).length).toBeGreaterThanOrEqual(2);
      }
      await driver.teardown(first);
      await driver.teardown(second);
      // The teardown staged the next tenant ahead: it is labelled with the run, so sweeps find it.
      expect(await containersOfRun(runId)).toBe(1);
      await driver.dispose();
      expect(await containersOfRun(runId)).toBe(0);
    }
  });
});
