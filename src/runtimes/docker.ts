// Containers through the Docker engine API (dockerode), one per tenant. Network "host": the
// container listens on 127.0.0.1:PORT of the host; "bridge": on 8080 inside, published on
// 127.0.0.1:PORT through docker-proxy. Every container carries the run's labels.
import { performance } from 'node:perf_hooks';
import type Docker from 'dockerode';
import { z } from 'zod';
import { cgroupCpuSecondsOf } from '../sys/container-cpu.js';
import { containerMemory, dockerProxiesByPort } from '../sys/container-memory.js';
import { findProcesses, processMemory } from '../sys/proc.js';
import { containerExit, dockerClient, engineError, OWNER_LABEL, RUN_LABEL } from './docker-client.js';
import { allocatePort, releasePort } from './ports.js';
import type { Deployment, RuntimeDriver } from './types.js';
import { defineRuntime } from './types.js';

/** PSS of the engine's daemons (dockerd and containerd), which grow with every container. */
async function enginePss(): Promise<number> {
  let total = 0;
  for (const { pid } of await findProcesses((argv) => /(^|\/)(dockerd|containerd)$/.test(argv[0] ?? ''))) {
    total += await processMemory(pid).then(
      (m) => m.pssBytes,
      () => 0,
    );
  }
  return total;
}

const CONTAINER_PORT = 8080;
export const DOCKER_FIX = "run `bash scripts/setup.sh` (installs Debian's docker.io and starts dockerd)";

/** What `hardening: strict` sets on every container. */
export const STRICT = {
  user: '65534:65534', // nobody: FROM scratch images have no passwd file, a numeric user needs none
  pidsLimit: 64,
  memoryBytes: 512 * 1024 * 1024,
};

const Hardening = z.enum(['default', 'strict']);
type HardeningLevel = z.infer<typeof Hardening>;
const hardeningLevels = (value: HardeningLevel | HardeningLevel[]): HardeningLevel[] => [...new Set([value].flat())];

const DockerOptions = z
  .object({
    network: z
      .enum(['host', 'bridge'])
      .optional()
      .describe(
        'host (default): the container listens on a harness-assigned port of the host; bridge (default with hardening: strict): published on 127.0.0.1 through docker-proxy.',
      ),
    hardening: z
      .union([Hardening, z.array(Hardening).min(1).max(2)])
      .default('default')
      .describe(
        `One level, or both to measure them side by side (variants "default" and "strict"). default: Docker's defaults (root, default capabilities, writable root filesystem, no limits). strict: user ${STRICT.user}, all capabilities dropped, read-only root filesystem, no-new-privileges, at most ${STRICT.pidsLimit} pids and ${STRICT.memoryBytes / 1048576} MiB, on the bridge network published on 127.0.0.1 (so a container cannot reach the harness's ports).`,
      ),
    baseImage: z
      .string()
      .min(1)
      .optional()
      .describe("Build images FROM this registry image (which must contain node) instead of FROM scratch with the host's node."),
  })
  .strict()
  .refine((o) => !(hardeningLevels(o.hardening).includes('strict') && o.network === 'host'), {
    message: "hardening: strict runs containers on the bridge network (host networking would let them reach the harness's ports); remove network: host",
    path: ['network'],
  })
  .default({ hardening: 'default' });
export type DockerOptions = z.infer<typeof DockerOptions>;

/** The network a container gets: as set, else bridge when strict, else host. */
const networkOf = (options: DockerOptions, hardening: HardeningLevel) => options.network ?? (hardening === 'strict' ? 'bridge' : 'host');

interface DockerDeployment extends Deployment {
  container: Docker.Container;
  port: number;
  initPid?: number; // looked up when memory is first read, so cold starts do not pay for it
}

export const docker = defineRuntime({
  name: 'docker',
  family: 'container',
  summary: 'a container per tenant, through the Docker engine API',
  artifacts: ['server-app', 'image'],
  phases: ['create', 'start'],
  options: DockerOptions,
  // A foreign platform's image runs through the host's binfmt_misc emulator (registered with the F flag).
  emulates: true,
  async available() {
    try {
      const version = await (await dockerClient()).version();
      return { available: true, version: `Docker engine ${version.Version} (API ${version.ApiVersion})` };
    } catch (error) {
      return { available: false, reason: `no Docker engine answers on its socket (${(error as Error).message})`, fix: DOCKER_FIX };
    }
  },
  // Only a run that measures strict hardening labels its samples with a variant.
  variants: (options) => (hardeningLevels(options.hardening).includes('strict') ? hardeningLevels(options.hardening) : undefined),
  async create(context, options, variant): Promise<RuntimeDriver> {
    const engine = await dockerClient();
    const live = new Set<DockerDeployment>();
    const level = (variant ?? 'default') as HardeningLevel;
    const networkMode = networkOf(options, level);
    const driver: RuntimeDriver = {
      name: 'docker',
      variant,
      async deploy(artifacts, tenantId) {
        const image = artifacts.image;
        if (!image) throw new Error(`workload ${artifacts.workload.name} has no image built`);
        const port = await allocatePort();
        const labels = { [RUN_LABEL]: context.runId, [OWNER_LABEL]: String(process.pid), 'coldbench.tenant': tenantId };
        const network =
          networkMode === 'host'
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
        const hardening =
          level === 'strict'
            ? {
                User: STRICT.user,
                HostConfig: {
                  ...network.HostConfig,
                  CapDrop: ['ALL'],
                  SecurityOpt: ['no-new-privileges'],
                  ReadonlyRootfs: true,
                  PidsLimit: STRICT.pidsLimit,
                  Memory: STRICT.memoryBytes,
                  MemorySwap: STRICT.memoryBytes,
                },
              }
            : {};
        const container = await engine
          .createContainer({
            Image: image.tag,
            Labels: labels,
            ...network,
            ...hardening,
            // The engine refuses an image of another platform than the one asked for.
            ...(context.platform ? { platform: context.platform.name } : {}),
          })
          .catch((error: Error) => {
            releasePort(port);
            throw engineError(error);
          });
        const createMs = performance.now() - started;
        const deployment: DockerDeployment = {
          runtime: 'docker',
          tenantId,
          baseUrl: `http://127.0.0.1:${port}`,
          phases: [],
          container,
          port,
          watchExit: (signal) => containerExit(container, signal),
        };
        live.add(deployment);
        started = performance.now();
        await container.start().catch((error: Error) => {
          throw engineError(error);
        });
        deployment.phases.push({ phase: 'create', ms: createMs }, { phase: 'start', ms: performance.now() - started });
        return deployment;
      },
      async teardown(deployment) {
        const d = deployment as DockerDeployment;
        await d.container.remove({ force: true }).catch((error: { statusCode?: number }) => {
          if (error.statusCode !== 404) throw engineError(error);
        });
        releasePort(d.port);
        live.delete(d);
      },
      async cpuSeconds(deployments) {
        // From the cgroup, not the stats API, which can answer 0 for a serving container (container-cpu.ts).
        let total = 0;
        for (const deployment of deployments) {
          const d = deployment as DockerDeployment;
          d.initPid ??= (await d.container.inspect()).State.Pid;
          total += await cgroupCpuSecondsOf(d.initPid);
        }
        return total;
      },
      async memory(deployments) {
        const totals = { cgroup: 0, init: 0, shim: 0, proxy: 0 };
        const proxies = networkMode === 'bridge' ? await dockerProxiesByPort() : new Map<number, number[]>();
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
          ...(networkMode === 'bridge' ? [{ method: 'proxy-pss', bytes: totals.proxy }] : []),
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
