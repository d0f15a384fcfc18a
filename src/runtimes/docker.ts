// Containers through the Docker engine API (dockerode), one per tenant, on dockerd or on podman's
// Docker-compatible service (the engine is the one parameter: container-engines.ts). Network "host": the
// container listens on 127.0.0.1:PORT of the host; "bridge": on 8080 inside, published on
// 127.0.0.1:PORT through docker-proxy. Every container carries the run's labels.

import { performance } from 'node:perf_hooks';
import type Docker from 'dockerode';
import { z } from 'zod';
import { choiceList } from '../choice-list.js';
import { cgroupCpuSecondsOf } from '../sys/container-cpu.js';
import { containerMemory, dockerProxiesByPort } from '../sys/container-memory.js';
import { findProcesses, processMemory, UnreadableMemory } from '../sys/proc.js';
import type { WorkloadArtifacts } from '../workloads/artifacts.js';
import { type ContainerEngine, DOCKER_ENGINE } from './container-engines.js';
import { containerExit, engineClient, engineError as engineErrorOf, OWNER_LABEL, RUN_LABEL } from './docker-client.js';
import { DEFAULT_OCI_RUNTIME, OCI_RUNTIMES, type OciRuntime, ociRuntimeAvailability, ociRuntimeChecks } from './docker-oci.js';
import { begin, checkpointCheck, DEFAULT_START_MODEL, START_MODELS, type StartModel, stage, startModelAvailability } from './docker-start-models.js';
import { combinationOf, combinations, type Dimension } from './docker-variants.js';
import { imageInto } from './engine-images.js';
import { allocatePort, releasePort } from './ports.js';
import { socketDenied } from './socket-access.js';
import type { Deployment, MemoryReading, PhaseTiming, RuntimeDriver } from './types.js';
import { defineRuntime } from './types.js';

/** PSS of the engine's daemons (dockerd and containerd; podman's service), which grow with every container; NaN with why when they are root's and this user is not. */
async function enginePss(engine: ContainerEngine): Promise<{ bytes: number; skipped?: string }> {
  let total = 0;
  for (const { pid } of await findProcesses((argv) => engine.daemons.test(argv[0] ?? ''))) {
    const reading = await processMemory(pid).then(
      (m) => m.pssBytes,
      (error) => (error instanceof UnreadableMemory ? error : 0),
    );
    if (reading instanceof UnreadableMemory) return { bytes: Number.NaN, skipped: reading.message };
    total += reading;
  }
  return { bytes: total };
}

const CONTAINER_PORT = 8080;

/** What `hardening: strict` sets on every container. */
export const STRICT = {
  user: '65534:65534', // nobody: FROM scratch images have no passwd file, a numeric user needs none
  pidsLimit: 64,
  memoryBytes: 512 * 1024 * 1024,
};

// Docker's image reference grammar ([registry[:port]/]path[:tag][@digest]), checked whether or not
// the scenario runs a container engine: a shell expansion or a typo is refused when the file is read.
const IMAGE_REFERENCE =
  /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]+)?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::[\w][\w.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/;

const Hardening = z.enum(['default', 'strict']);
type HardeningLevel = z.infer<typeof Hardening>;
const hardeningLevels = (value: HardeningLevel | HardeningLevel[]): HardeningLevel[] => [...new Set([value].flat())];

function containerOptions(engine: ContainerEngine) {
  return z
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
      ociRuntimes: choiceList(OCI_RUNTIMES, 'OCI runtime')
        .default([engine.defaultOciRuntime])
        .describe(
          engine.name === 'docker'
            ? 'The OCI runtimes dockerd starts containers with, each measured as a variant: runc (the default), crun, runsc (gVisor: a user-space kernel per sandbox). Each must be registered with dockerd (`bash scripts/setup.sh` does it).'
            : `The OCI runtimes ${engine.name} starts containers with, each measured as a variant: ${engine.defaultOciRuntime} (the default), ${OCI_RUNTIMES.filter((r) => r !== engine.defaultOciRuntime).join(', ')}.`,
        ),
      startModel: choiceList(START_MODELS, 'start model')
        .default([DEFAULT_START_MODEL])
        .describe(
          `How a tenant is started, each measured as a variant: create (create + start on deploy), pre-created (created before the measured window; cold start is start to first expected response), restore (checkpointed with CRIU before the window; cold start is restore to first expected response; needs \`criu check\` to pass${engine.name === 'docker' ? " and dockerd's experimental checkpoints" : ''}).`,
        ),
      baseImage: z
        .string()
        .max(255)
        .regex(IMAGE_REFERENCE, 'an image reference such as node:20-slim or registry.example:5000/team/node:20')
        .optional()
        .describe("Build images FROM this registry image (which must contain node) instead of FROM scratch with the host's node."),
    })
    .strict()
    .refine((o) => !(hardeningLevels(o.hardening).includes('strict') && o.network === 'host'), {
      message: "hardening: strict runs containers on the bridge network (host networking would let them reach the harness's ports); remove network: host",
      path: ['network'],
    })
    .default({ hardening: 'default', ociRuntimes: [engine.defaultOciRuntime], startModel: [DEFAULT_START_MODEL] });
}
export type DockerOptions = z.infer<ReturnType<typeof containerOptions>>;

/** The network a container gets: as set, else bridge when strict, else host. */
const networkOf = (options: DockerOptions, hardening: HardeningLevel) => options.network ?? (hardening === 'strict' ? 'bridge' : 'host');

/** OCI runtime × start model × hardening: a variant per combination ("crun/pre-created"), none at the defaults. */
const dimensions = (options: DockerOptions, defaultOci: OciRuntime = DEFAULT_OCI_RUNTIME): Dimension[] => [
  { values: options.ociRuntimes, default: defaultOci },
  { values: options.startModel, default: DEFAULT_START_MODEL },
  { values: hardeningLevels(options.hardening), default: 'default' },
];

interface DockerVariant {
  oci: OciRuntime;
  startModel: StartModel;
  hardening: HardeningLevel;
}

function dockerVariant(options: DockerOptions, variant: string | undefined, defaultOci?: OciRuntime): DockerVariant {
  const [oci, startModel, hardening] = combinationOf(dimensions(options, defaultOci), variant).values;
  return { oci: oci as OciRuntime, startModel: startModel as StartModel, hardening: hardening as HardeningLevel };
}

/** How long restore's staging waits for the server it checkpoints. */
const STAGE_ANSWER_TIMEOUT_MS = 30_000;

interface DockerDeployment extends Deployment {
  container: Docker.Container;
  port: number;
  image: string;
  initPid?: number; // looked up when memory is first read, so cold starts do not pay for it
}

/** The container runtime on one engine: docker here, podman in podman.ts. */
export function containerRuntime(on: ContainerEngine, summary: string) {
  const dockerClient = () => engineClient(on);
  const engineError = (error: unknown) => engineErrorOf(error, on);
  const defaultOci = on.defaultOciRuntime;
  return defineRuntime({
    name: on.name,
    family: 'container',
    summary,
    artifacts: ['server-app', 'image'],
    phases: ['create', 'checkpoint', 'start', 'restore'],
    options: containerOptions(on),
    // A foreign platform's image runs through the host's binfmt_misc emulator (registered with the F flag).
    emulates: true,
    async available() {
      try {
        const version = await (await dockerClient()).version();
        return { available: true, version: `${on.product} ${version.Version} (API ${version.ApiVersion})` };
      } catch (error) {
        return (
          socketDenied(error, on.socketPath(), on.name) ?? {
            available: false,
            reason: `no ${on.product} answers on its socket (${(error as Error).message})`,
            fix: on.installFix,
          }
        );
      }
    },
    async checks() {
      const engine = await dockerClient();
      const labels = { [RUN_LABEL]: `doctor-${process.pid}`, [OWNER_LABEL]: String(process.pid) };
      const checks = [...(await ociRuntimeChecks(engine, labels)), await checkpointCheck(engine)];
      // The checks are worded for docker; another engine's carry its own name.
      return checks.map((c) => ({ ...c, name: c.name.replace(/^docker\b/, on.name) }));
    },
    // A run at the defaults (runc, create, default hardening) labels its samples with no variant.
    variants(options) {
      const labels = combinations(dimensions(options, defaultOci)).map((c) => c.label);
      return labels.every((l) => l === undefined) ? undefined : (labels as string[]);
    },
    async variantAvailable(options, variant) {
      const { oci, startModel } = dockerVariant(options, variant, defaultOci);
      const engine = await dockerClient();
      const runtime = await ociRuntimeAvailability(engine, oci);
      return runtime.available ? startModelAvailability(engine, startModel) : runtime;
    },
    async create(context, options, variant): Promise<RuntimeDriver> {
      const engine = await dockerClient();
      const live = new Set<DockerDeployment>();
      const { oci, startModel, hardening: level } = dockerVariant(options, variant, defaultOci);
      const networkMode = networkOf(options, level);
      // pre-created and restore: one container staged ahead, refilled after each teardown (outside
      // any measured window); a deploy that finds none (several at once, as density does) stages in its window.
      let staged: { deployment: DockerDeployment; phases: PhaseTiming[] } | undefined;
      // More staged at once (stageAhead: a burst's pool of pre-created containers), taken before `staged`.
      const pool: { deployment: DockerDeployment; phases: PhaseTiming[] }[] = [];
      let lastArtifacts: WorkloadArtifacts | undefined;

      /** A created (not started) container for a tenant, with its port and create time. */
      async function createTenant(artifacts: WorkloadArtifacts, tenantId: string): Promise<{ deployment: DockerDeployment; createMs: number }> {
        const image = artifacts.image;
        if (!image) throw new Error(`workload ${artifacts.workload.name} has no image built`);
        if (on.importsImages) await imageInto(engine, image.tag).catch((error: Error) => Promise.reject(engineError(error)));
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
        const started = performance.now();
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
            HostConfig: {
              ...on.hostConfig,
              ...('HostConfig' in hardening ? hardening.HostConfig : network.HostConfig),
              // The engine's default runtime is left unset: today's containers stay exactly as they were.
              ...(oci === defaultOci ? {} : { Runtime: oci }),
            },
            // The engine refuses an image of another platform than the one asked for.
            ...(context.platform ? { platform: context.platform.name } : {}),
          })
          .catch((error: Error) => {
            releasePort(port);
            throw engineError(error);
          });
        const createMs = performance.now() - started;
        const deployment: DockerDeployment = {
          runtime: on.name,
          tenantId,
          baseUrl: `http://127.0.0.1:${port}`,
          phases: [],
          container,
          port,
          image: image.tag,
          watchExit: (signal) => containerExit(container, signal),
        };
        live.add(deployment);
        return { deployment, createMs };
      }

      async function createOnly(artifacts: WorkloadArtifacts, tenantId: string) {
        const { deployment, createMs } = await createTenant(artifacts, tenantId);
        return { deployment, phases: [{ phase: 'create', ms: createMs }] };
      }

      /** A container made ready for the start model's measured step; `ahead` when outside a measured window. */
      async function stageTenant(artifacts: WorkloadArtifacts, tenantId: string, ahead: boolean) {
        const { deployment, createMs } = await createTenant(artifacts, tenantId);
        const serving = { baseUrl: deployment.baseUrl, path: artifacts.workload.requests[0]!.path, timeoutMs: STAGE_ANSWER_TIMEOUT_MS };
        try {
          return { deployment, phases: await stage(startModel, deployment.container, createMs, ahead, serving, on.checkpoints) };
        } catch (error) {
          await remove(deployment);
          throw engineError(error);
        }
      }

      /** Stages the next tenant ahead, unless one is staged for this image already; one staging at a time. */
      let staging: Promise<void> = Promise.resolve();
      function stageAhead(artifacts: WorkloadArtifacts): Promise<void> {
        staging = staging
          .catch(() => undefined)
          .then(async () => {
            if (startModel === 'create' || lastArtifacts === undefined || staged?.deployment.image === artifacts.image?.tag) return;
            if (staged) await remove(staged.deployment);
            staged = undefined;
            staged = await stageTenant(artifacts, 'staged', true);
          });
        return staging;
      }

      async function remove(d: DockerDeployment) {
        await d.container.remove({ force: true }).catch((error: { statusCode?: number }) => {
          if (error.statusCode !== 404) throw engineError(error);
        });
        releasePort(d.port);
        live.delete(d);
      }

      const driver: RuntimeDriver = {
        name: on.name,
        variant,
        async prepare(artifacts) {
          lastArtifacts = artifacts;
          // An engine with storage of its own gets the image before any measured window.
          if (on.importsImages && artifacts.image) await imageInto(engine, artifacts.image.tag).catch((error: Error) => Promise.reject(engineError(error)));
          // A failure here shows again, with the engine's message, at the first deploy.
          await stageAhead(artifacts).catch(() => undefined);
          return [];
        },
        async deploy(artifacts, tenantId) {
          lastArtifacts = artifacts;
          const pooled = pool.at(-1)?.deployment.image === artifacts.image?.tag ? pool.pop() : undefined;
          const ready = pooled ?? (staged?.deployment.image === artifacts.image?.tag ? staged : undefined);
          if (ready) {
            if (!pooled) staged = undefined;
            ready.deployment.tenantId = tenantId;
          }
          const { deployment, phases } =
            ready ?? (startModel === 'create' ? await createOnly(artifacts, tenantId) : await stageTenant(artifacts, tenantId, false));
          const measured = await begin(startModel, deployment.container, on.checkpoints).catch((error: Error) => {
            throw engineError(error);
          });
          deployment.phases.push(...phases, measured);
          return deployment;
        },
        async stageAhead(artifacts, count) {
          if (startModel === 'create') return;
          for (const left of pool.splice(0)) {
            if (left.deployment.image === artifacts.image?.tag) pool.push(left);
            else await remove(left.deployment);
          }
          // Eight at a time: outside any measured window, so only the wait matters.
          const fill = async () => {
            while (pool.length + (staged ? 1 : 0) + filling < count) {
              filling++;
              try {
                pool.push(await stageTenant(artifacts, 'staged', true));
              } finally {
                filling--;
              }
            }
          };
          let filling = 0;
          await Promise.all(Array.from({ length: 8 }, fill));
        },
        async teardown(deployment) {
          await remove(deployment as DockerDeployment);
          // The next tenant is staged now, after this one's measured window and before the next one's.
          if (lastArtifacts && !staged) await stageAhead(lastArtifacts).catch(() => undefined);
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
          const totals = { cgroup: 0, workload: 0, shim: 0, proxy: 0 };
          let pssUnreadable: string | undefined;
          const proxies = networkMode === 'bridge' ? await dockerProxiesByPort() : new Map<number, number[]>();
          for (const deployment of deployments) {
            const d = deployment as DockerDeployment;
            d.initPid ??= (await d.container.inspect()).State.Pid;
            const memory = await containerMemory(d.initPid, proxies.get(d.port));
            totals.cgroup += memory.cgroupBytes;
            totals.workload += memory.workloadPssBytes;
            totals.shim += memory.shimPssBytes;
            totals.proxy += memory.proxyPssBytes;
            pssUnreadable ??= memory.pssUnreadable;
          }
          // Root's processes read by another user: those methods are skipped with the reason, the cgroup still counts.
          const pss = (reading: MemoryReading): MemoryReading => (pssUnreadable ? { ...reading, bytes: Number.NaN, skipped: pssUnreadable } : reading);
          return [
            { method: 'cgroup', bytes: totals.cgroup },
            pss({ method: 'shim-pss', bytes: totals.shim }),
            ...(networkMode === 'bridge' ? [pss({ method: 'proxy-pss', bytes: totals.proxy })] : []),
            pss({ method: 'cgroup+shim+proxy', bytes: totals.cgroup + totals.shim + totals.proxy }),
            // Comparable with the process runtime's PSS (for runsc: the sandbox and gofer with the workload inside).
            pss({ method: 'workload-pss', bytes: totals.workload }),
            // The engine's own growth as containers are added (dockerd + containerd), per container.
            { method: 'engine-pss', ...(await enginePss(on)), sharedBase: true },
          ];
        },
        async dispose() {
          lastArtifacts = undefined; // nothing is staged again
          await staging.catch(() => undefined);
          staged = undefined;
          pool.length = 0;
          await Promise.all([...live].map(remove));
        },
      };
      return driver;
    },
  });
}

export const docker = containerRuntime(DOCKER_ENGINE, 'a container per tenant, through the Docker engine API');
