// docker's OCI runtimes and start models as variants: how they are named (none at the defaults, so
// today's samples stay as they were), what a scenario may ask for, and, on the real engine, that
// each variant runs its containers with the OCI runtime it names and times pre-created containers
// outside the measured window.
import type Docker from 'dockerode';
import { afterAll, describe, expect, it } from 'vitest';
import { docker } from '../src/runtimes/docker.js';
import { dockerClient, RUN_LABEL } from '../src/runtimes/docker-client.js';
import { fixFor } from '../src/runtimes/docker-oci.js';
import { criuCheck } from '../src/runtimes/docker-start-models.js';
import { combinations } from '../src/runtimes/docker-variants.js';
import { availableDrivers } from '../src/runtimes/select.js';
import type { RuntimeDriver } from '../src/runtimes/types.js';
import { descendants } from '../src/sys/container-memory.js';
import { parentPid } from '../src/sys/proc.js';
import { artifactsFor, containersOfRun, runtimeAvailable, scenarioError } from './helpers.js';

const variantsOf = (settings: unknown) => docker.variants!(docker.options!.parse(settings));

describe('docker variants', () => {
  it('names no variant at the defaults (runc, create, default hardening): samples stay as before', () => {
    expect(variantsOf(undefined)).toBeUndefined();
    expect(variantsOf({ ociRuntimes: ['runc'], startModel: ['create'] })).toBeUndefined();
  });

  it('names each OCI runtime × start model combination, a dimension only when it is not at its default alone', () => {
    expect(variantsOf({ ociRuntimes: ['crun'] })).toEqual(['crun']);
    expect(variantsOf({ ociRuntimes: ['runc', 'crun', 'runsc'] })).toEqual(['runc', 'crun', 'runsc']);
    expect(variantsOf({ startModel: ['create', 'pre-created'] })).toEqual(['create', 'pre-created']);
    expect(variantsOf({ ociRuntimes: ['runc', 'crun'], startModel: ['create', 'pre-created'] })).toEqual([
      'runc/create',
      'runc/pre-created',
      'crun/create',
      'crun/pre-created',
    ]);
    // hardening keeps its own names, and combines like the others
    expect(variantsOf({ hardening: ['default', 'strict'] })).toEqual(['default', 'strict']);
    expect(variantsOf({ ociRuntimes: ['crun'], hardening: 'strict' })).toEqual(['crun/strict']);
  });

  it('makes every combination of any dimensions', () => {
    const made = combinations([
      { values: ['a', 'b'], default: 'a' },
      { values: ['x'], default: 'x' },
    ]);
    expect(made).toEqual([
      { label: 'a', values: ['a', 'x'] },
      { label: 'b', values: ['b', 'x'] },
    ]);
  });

  it('refuses an unknown OCI runtime or start model, and a repeated one, naming the field', () => {
    expect(scenarioError('name: s\nworkloads: [hello]\nruntimes: [docker]\ndocker:\n  ociRuntimes: [podman]\nmeasurements:\n  coldstart: {}\n')).toMatch(
      /docker\.ociRuntimes\[0\].*runc.*crun.*runsc/,
    );
    expect(scenarioError('name: s\nworkloads: [hello]\nruntimes: [docker]\ndocker:\n  startModel: [create, create]\nmeasurements:\n  coldstart: {}\n')).toMatch(
      /docker\.startModel.*each start model at most once/,
    );
  });

  it('gives the exact fix for the failures seen on machines like this one', () => {
    expect(fixFor('crun: cgroups in hybrid mode not supported, drop all controllers from cgroupv2: OCI runtime error')).toMatch(
      /mount -t cgroup -o hugetlb cgroup \/sys\/fs\/cgroup\/hugetlb/,
    );
    expect(fixFor('cannot run with network enabled in root network namespace')).toMatch(/--network=host/);
    expect(fixFor('Error response from daemon: unknown or invalid runtime name: crun')).toMatch(/daemon\.json/);
  });
});

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
