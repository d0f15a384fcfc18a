// Containers through the Docker engine API (dockerode), one per tenant. Network "host": the
// container listens on 127.0.0.1:PORT of the host; "bridge": on 8080 inside, published on
// 127.0.0.1:PORT through docker-proxy. Every container carries the run's labels.
import { performance } from 'node:perf_hooks';
import { z } from 'zod';
import type Docker from 'dockerode';
import type { Deployment, RuntimeDriver } from './types.js';
import { defineRuntime } from './types.js';
import { dockerClient, OWNER_LABEL, RUN_LABEL } from './docker-client.js';
import { allocatePort, releasePort } from './ports.js';
import { containerMemory, dockerProxiesByPort } from '../sys/container-memory.js';
import { findProcesses, processMemory } from '../sys/proc.js';

/** PSS of the engine's daemons (dockerd and containerd), which grow with every container. */
async function enginePss(): Promise<number> {
  let total = 0;
  for (const { pid } of await findProcesses((argv) => /(^|\/)(dockerd|containerd)$/.test(argv[0] ?? ''))) {
    total += await processMemory(pid).then((m) => m.pssBytes, () => 0);
  }
  return total;
}

const CONTAINER_PORT = 8080;
export const DOCKER_FIX = 'run `bash scripts/setup.sh` (installs Debian\'s docker.io and starts dockerd)';

const DockerOptions = z
  .object({
    network: z.enum(['host', 'bridge']).default('host')
      .describe('host: the container listens on a harness-assigned port of the host; bridge: published on 127.0.0.1 through docker-proxy.'),
    baseImage: z.string().min(1).optional()
      .describe('Build images FROM this registry image (which must contain node) instead of FROM scratch with the host\'s node.'),
  })
  .strict()
  .default({ network: 'host' });
export type DockerOptions = z.infer<typeof DockerOptions>;

interface DockerDeployment extends Deployment {
  container: Docker.Container;
  port: number;
  initPid?: number; // looked up when memory is first read, so cold starts do not pay for it
}

export const docker = defineRuntime({
  name: 'docker',
  summary: 'a container per tenant, through the Docker engine API',
  artifacts: ['server-app', 'image'],
  phases: ['create', 'start'],
  options: DockerOptions,
  async available() {
    try {
      const version = await (await dockerClient()).version();
      return { available: true, version: `Docker engine ${version.Version} (API ${version.ApiVersion})` };
    } catch (error) {
      return { available: false, reason: `no Docker engine answers on its socket (${(error as Error).message})`, fix: DOCKER_FIX };
    }
  },
  async create(context, options): Promise<RuntimeDriver> {
    const engine = await dockerClient();
    const live = new Set<DockerDeployment>();
    const driver: RuntimeDriver = {
      name: 'docker',
      async deploy(artifacts, tenantId) {
        const image = artifacts.image;
        if (!image) throw new Error(`workload ${artifacts.workload.name} has no image built`);
        const port = await allocatePort();
        const labels = { [RUN_LABEL]: context.runId, [OWNER_LABEL]: String(process.pid), 'coldbench.tenant': tenantId };
        const network = options.network === 'host'
          ? { Env: [`PORT=${port}`, 'HOST=127.0.0.1'], HostConfig: { NetworkMode: 'host', CpusetCpus: context.serverCpus } }
          : {
              Env: [`PORT=${CONTAINER_PORT}`, 'HOST=0.0.0.0'],
              ExposedPorts: { [`${CONTAINER_PORT}/tcp`]: {} },
              HostConfig: {
                NetworkMode: 'bridge',
                CpusetCpus: context.serverCpus,
                PortBindings: { [`${CONTAINER_PORT}/tcp`]: [{ HostIp: '127.0.0.1', HostPort: String(port) }] },
              },
            };
        let started = performance.now();
        const container = await engine.createContainer({ Image: image.tag, Labels: labels, ...network }).catch((error: Error) => {
          releasePort(port);
          throw error;
        });
        const createMs = performance.now() - started;
        const deployment: DockerDeployment = { runtime: 'docker', tenantId, baseUrl: `http://127.0.0.1:${port}`, phases: [], container, port };
        live.add(deployment);
        started = performance.now();
        await container.start();
        deployment.phases.push({ phase: 'create', ms: createMs }, { phase: 'start', ms: performance.now() - started });
        return deployment;
      },
      async teardown(deployment) {
        const d = deployment as DockerDeployment;
        await d.container.remove({ force: true }).catch((error: { statusCode?: number }) => {
          if (error.statusCode !== 404) throw error;
        });
        releasePort(d.port);
        live.delete(d);
      },
      async cpuSeconds(deployments) {
        let total = 0;
        for (const d of deployments) {
          // one-shot: one reading at once, instead of the engine waiting for a second sample.
          const stats = await (d as DockerDeployment).container.stats({ stream: false, 'one-shot': true } as { stream: false });
          total += stats.cpu_stats.cpu_usage.total_usage / 1e9;
        }
        return total;
      },
      async memory(deployments) {
        const totals = { cgroup: 0, init: 0, shim: 0, proxy: 0 };
        const proxies = options.network === 'bridge' ? await dockerProxiesByPort() : new Map<number, number[]>();
        for (const deployment of deployments) {
          const d = deployment as DockerDeployment;
          d.initPid ??= (await d.container.inspect()).State.Pid;
          const memory = await containerMemory(d.initPid, proxies.get(d.port));
          totals.cgroup += memory.cgroupBytes;
          totals.init += memory.initPssBytes;
          totals.shim += memory.shimPssBytes;
          totals.proxy += memory.proxyPssBytes;
        }
        return [
          { method: 'cgroup', bytes: totals.cgroup },
          { method: 'shim-pss', bytes: totals.shim },
          ...(options.network === 'bridge' ? [{ method: 'proxy-pss', bytes: totals.proxy }] : []),
          { method: 'cgroup+shim+proxy', bytes: totals.cgroup + totals.shim + totals.proxy },
          // Comparable with the process runtime's PSS: the same reading of the same kind of process.
          { method: 'workload-pss', bytes: totals.init },
          // The engine's own growth as containers are added (dockerd + containerd), per container.
          { method: 'engine-pss', bytes: await enginePss(), sharedBase: true },
        ];
      },
      async dispose() {
        await Promise.all([...live].map((d) => driver.teardown(d)));
      },
    };
    return driver;
  },
});
