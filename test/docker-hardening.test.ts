// `docker.hardening: strict` on a real engine: the container runs as nobody with no capabilities,
// a read-only root filesystem, no-new-privileges and pids and memory limits, on the bridge network
// published on 127.0.0.1, and still answers; both levels can be measured side by side as variants.

import type Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import { httpRequest } from '../src/http-client.js';
import { STRICT } from '../src/runtimes/docker.js';
import { loadScenario } from '../src/scenario/load.js';
import { artifactsFor, driversFor, runtimeAvailable } from './helpers.js';

const dockerHere = await runtimeAvailable('docker');

describe.skipIf(!dockerHere)('docker hardening', () => {
  it('strict: nobody, no capabilities, read-only root, limits, bridge on 127.0.0.1, and it answers', async () => {
    const artifacts = await artifactsFor('hello', ['docker']);
    const drivers = await driversFor(['docker'], 'test-hardening', { docker: { hardening: ['default', 'strict'] } });
    expect(drivers.map((d) => d.variant)).toEqual(['default', 'strict']);
    const strict = drivers[1]!;
    try {
      const deployment = await strict.deploy(artifacts, 'hardened');
      const request = artifacts.workload.requests[0]!;
      let answer = await httpRequest(new URL(deployment.baseUrl + request.path)).catch(() => undefined);
      for (let tries = 0; !answer && tries < 100; tries++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        answer = await httpRequest(new URL(deployment.baseUrl + request.path)).catch(() => undefined);
      }
      expect(answer).toEqual({ status: request.expect.status, body: request.expect.body });
      const info = await (deployment as unknown as { container: Docker.Container }).container.inspect();
      expect(info.Config.User).toBe(STRICT.user);
      expect(info.HostConfig).toMatchObject({
        CapDrop: ['ALL'],
        SecurityOpt: ['no-new-privileges'],
        ReadonlyRootfs: true,
        PidsLimit: STRICT.pidsLimit,
        Memory: STRICT.memoryBytes,
        NetworkMode: 'bridge',
      });
      expect(info.HostConfig.PortBindings?.['8080/tcp']?.[0]?.HostIp).toBe('127.0.0.1');
    } finally {
      await Promise.all(drivers.map((d) => d.dispose()));
    }
  }, 120_000);

  it('refuses strict hardening on the host network, naming the field', async () => {
    const { writeFile, mkdtemp } = await import('node:fs/promises');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const file = join(await mkdtemp(join(tmpdir(), 'coldbench-hardening-')), 'strict-host.yaml');
    await writeFile(file, 'name: s\nworkloads: [hello]\nruntimes: [docker]\ndocker: { network: host, hardening: strict }\nmeasurements: { coldstart: {} }\n');
    await expect(loadScenario(file)).rejects.toThrow(/docker\.network.*hardening: strict runs containers on the bridge network/);
  });
});
