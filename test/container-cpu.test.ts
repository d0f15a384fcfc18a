// A container's CPU time from its cgroup (not the engine's stats API, which can answer 0 for a
// serving container): the docker driver's reading moves while the container serves, and is the
// same counter as the cgroup's own file found from the container's id.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { afterAll, describe, expect, it } from 'vitest';
import type { RuntimeDriver } from '../src/runtimes/types.js';
import { cgroupCpuSecondsOf } from '../src/sys/container-cpu.js';
import { artifactsFor, driversFor, runtimeAvailable } from './helpers.js';

const drivers: RuntimeDriver[] = [];
afterAll(async () => {
  await Promise.all(drivers.map((d) => d.dispose()));
});

describe('CPU from the cgroup', () => {
  it("reads this process's own cgroup (v1 cpuacct or v2 cpu.stat) as a counter that grows", async () => {
    const before = await cgroupCpuSecondsOf(process.pid);
    const until = Date.now() + 50;
    while (Date.now() < until); // burn CPU
    expect(await cgroupCpuSecondsOf(process.pid)).toBeGreaterThan(before);
  });
});

describe.skipIf(!(await runtimeAvailable('docker')))("docker: a container's CPU from its cgroup (needs a Docker engine)", () => {
  it("moves while the container serves, and is its cgroup's own counter", async () => {
    const artifacts = await artifactsFor('json-c', ['docker']);
    const [docker] = await driversFor(['docker'], `container-cpu-${process.pid}`, { docker: { network: 'host' } });
    drivers.push(docker!);
    const deployment = await docker!.deploy(artifacts, 'cpu');
    const url = deployment.baseUrl + artifacts.workload.requests[0]!.path;
    for (let i = 0; i < 50; i++) {
      const answer = await fetch(url).catch(() => undefined);
      if (answer?.ok) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const before = await docker!.cpuSeconds!([deployment]);
    for (let i = 0; i < 300; i++) expect((await fetch(url)).status).toBe(200);
    const after = await docker!.cpuSeconds!([deployment]);
    expect(after).toBeGreaterThan(before);
    // cgroup v1 with the cgroupfs driver: /sys/fs/cgroup/cpuacct/docker/<id>/cpuacct.usage (ns)
    const id = (deployment as unknown as { container: { id: string } }).container.id;
    if (existsSync('/sys/fs/cgroup/cpuacct/docker')) {
      const direct = Number(await readFile(`/sys/fs/cgroup/cpuacct/docker/${id}/cpuacct.usage`, 'utf8')) / 1e9;
      expect(direct).toBeGreaterThanOrEqual(after);
      expect(direct - after).toBeLessThan(0.5); // the same counter, read a moment later
    }
    await docker!.teardown(deployment);
  });
});
