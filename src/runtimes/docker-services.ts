// A pipeline as services in containers: one container per stage, from the pipeline's one image
// (node, the stages' files and the C stage's static binary), each running its stage's entry.
// bridge (default): the stages share a user-defined bridge network made for the run and the front
// calls the others by container name; only the front's port is published, on 127.0.0.1, and that
// is all the harness talks to. host: every stage on the host's network, on loopback ports. A
// tenant is the whole pipeline. Only for pipeline workloads (see docs/composition.md).
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type Docker from 'dockerode';
import { z } from 'zod';
import { choiceList } from '../choice-list.js';
import { cgroupCpuSecondsOf } from '../sys/container-cpu.js';
import { containerMemory, dockerProxiesByPort } from '../sys/container-memory.js';
import { NODE_IN_IMAGE } from '../workloads/build-image.js';
import { pipelineServices, stageServicesOnly } from '../workloads/pipeline-sources.js';
import { containerExit, dockerClient, engineError, OWNER_LABEL, RUN_LABEL } from './docker-client.js';
import { createRunNetwork } from './docker-networks.js';
import { allocatePort, releasePort } from './ports.js';
import { type Deployment, defineRuntime, type RuntimeDriver } from './types.js';

const NETWORKS = ['bridge', 'host'] as const;
type NetworkMode = (typeof NETWORKS)[number];
const STAGE_PORT = 8080;

const Options = z
  .object({
    networks: choiceList(NETWORKS, 'network')
      .default(['bridge'])
      .describe(
        'How the stages reach each other, each measured as a variant: bridge (a user-defined bridge network, by container name; the front published on 127.0.0.1), host (the host network, loopback ports).',
      ),
  })
  .strict()
  .default({ networks: ['bridge'] });

interface StageContainer {
  stage: string;
  container: Docker.Container;
  initPid?: number;
}

interface ServicesDeployment extends Deployment {
  stages: StageContainer[];
  ports: number[];
  frontPort: number;
}

export const dockerServices = defineRuntime({
  name: 'docker-services',
  family: 'container',
  summary:
    'a pipeline workload as one container per stage, calling each other over HTTP on a bridge network or the host network (other workloads: not deployable)',
  stageServices: true,
  artifacts: ['server-app', 'image'],
  phases: ['create', 'start'],
  options: Options,
  variants: (options) => (options.networks.length === 1 && options.networks[0] === 'bridge' ? undefined : options.networks),
  async available() {
    try {
      const version = await (await dockerClient()).version();
      return { available: true, version: `Docker Engine ${version.Version} (API ${version.ApiVersion})` };
    } catch (error) {
      return {
        available: false,
        reason: `no Docker engine answers on its socket (${(error as Error).message})`,
        fix: 'run `bash scripts/setup.sh` (installs and starts dockerd)',
      };
    }
  },
  async create(context, _options, variant): Promise<RuntimeDriver> {
    const engine = await dockerClient();
    const mode: NetworkMode = (variant as NetworkMode | undefined) ?? 'bridge';
    const live = new Set<ServicesDeployment>();
    let network: Promise<Docker.Network> | undefined;
    const suffix = randomBytes(3).toString('hex');
    const networkName = `coldbench-${context.runId}-${suffix}`.slice(0, 60);

    async function remove(d: ServicesDeployment): Promise<void> {
      await Promise.all(
        d.stages.map((s) =>
          s.container.remove({ force: true }).catch((error: { statusCode?: number }) => {
            if (error.statusCode !== 404) throw engineError(error);
          }),
        ),
      );
      for (const port of d.ports) releasePort(port);
      live.delete(d);
    }

    const driver: RuntimeDriver = {
      name: 'docker-services',
      variant,
      cannotDeploy: stageServicesOnly,
      async deploy(artifacts, tenantId) {
        const services = pipelineServices(artifacts.serverApp);
        const image = artifacts.image;
        if (!services || !image)
          throw new Error(`workload ${artifacts.workload.name} has no stage services or image (docker-services deploys pipeline workloads only)`);
        if (mode === 'bridge') network ??= createRunNetwork(engine, networkName, context.runId).catch((error) => Promise.reject(engineError(error)));
        await network;
        const frontPort = await allocatePort();
        const d: ServicesDeployment = {
          runtime: 'docker-services',
          variant,
          tenantId,
          baseUrl: `http://127.0.0.1:${frontPort}`,
          phases: [],
          stages: [],
          ports: [frontPort],
          frontPort,
        };
        try {
          // The port each stage listens on: on the bridge every stage has its own address (8080 each, the
          // front's published on frontPort); on the host network each needs a loopback port of its own.
          const ports = new Map<string, number>();
          for (const s of services) {
            const port = mode === 'bridge' ? STAGE_PORT : s.stage === 'front' ? frontPort : await allocatePort();
            if (mode === 'host' && s.stage !== 'front') d.ports.push(port);
            ports.set(s.stage, port);
          }
          const name = (stage: string) => `cb-${suffix}-${tenantId}-${stage}`.replace(/[^a-zA-Z0-9_.-]/g, '-').slice(0, 120);
          // Stages find each other by container name on the bridge, on loopback with host networking.
          const url = (stage: string) => (mode === 'bridge' ? `http://${name(stage)}:${STAGE_PORT}` : `http://127.0.0.1:${ports.get(stage)}`);
          const createStarted = performance.now();
          d.stages = await Promise.all(
            services.map(async (s) => {
              const port = ports.get(s.stage)!;
              const published = mode === 'bridge' && s.stage === 'front';
              const container = await engine.createContainer({
                name: name(s.stage),
                Image: image.tag,
                Cmd: s.node ? [NODE_IN_IMAGE, `/app/${s.entry}`] : [`/app/${s.entry}`],
                Env: [
                  `PORT=${port}`,
                  `HOST=${mode === 'host' ? '127.0.0.1' : '0.0.0.0'}`,
                  `PIPELINE_CHECK_URL=${url('check')}`,
                  `PIPELINE_SHAPE_URL=${url('shape')}`,
                ],
                Labels: { [RUN_LABEL]: context.runId, [OWNER_LABEL]: String(process.pid), 'coldbench.tenant': tenantId, 'coldbench.stage': s.stage },
                ...(published ? { ExposedPorts: { [`${STAGE_PORT}/tcp`]: {} } } : {}),
                HostConfig: {
                  NetworkMode: mode === 'host' ? 'host' : networkName,
                  CpusetCpus: context.serverCpus,
                  ...(published ? { PortBindings: { [`${STAGE_PORT}/tcp`]: [{ HostIp: '127.0.0.1', HostPort: String(frontPort) }] } } : {}),
                },
              });
              return { stage: s.stage, container };
            }),
          );
          d.phases.push({ phase: 'create', ms: performance.now() - createStarted });
          const startStarted = performance.now();
          // All at once: the front listens once its stages do (stages-http.js).
          await Promise.all(d.stages.map((s) => s.container.start()));
          d.phases.push({ phase: 'start', ms: performance.now() - startStarted });
          d.watchExit = (signal) => Promise.race(d.stages.map((s) => containerExit(s.container, signal).then((how) => `stage ${s.stage} ${how}`)));
        } catch (error) {
          await remove(d).catch(() => undefined);
          throw engineError(error);
        }
        live.add(d);
        return d;
      },
      async teardown(deployment) {
        await remove(deployment as ServicesDeployment);
      },
      async cpuSeconds(deployments) {
        let total = 0;
        for (const s of stagesOf(deployments)) {
          s.initPid ??= (await s.container.inspect()).State.Pid;
          total += await cgroupCpuSecondsOf(s.initPid);
        }
        return total;
      },
      async memory(deployments) {
        const totals = { cgroup: 0, workload: 0, shim: 0, proxy: 0 };
        const proxies = mode === 'bridge' ? await dockerProxiesByPort() : new Map<number, number[]>();
        for (const deployment of deployments) {
          const d = deployment as ServicesDeployment;
          for (const s of d.stages) {
            s.initPid ??= (await s.container.inspect()).State.Pid;
            const memory = await containerMemory(s.initPid, s.stage === 'front' ? proxies.get(d.frontPort) : []);
            totals.cgroup += memory.cgroupBytes;
            totals.workload += memory.workloadPssBytes;
            totals.shim += memory.shimPssBytes;
            totals.proxy += memory.proxyPssBytes;
          }
        }
        return [
          { method: 'cgroup', bytes: totals.cgroup },
          { method: 'shim-pss', bytes: totals.shim },
          ...(mode === 'bridge' ? [{ method: 'proxy-pss', bytes: totals.proxy }] : []),
          { method: 'cgroup+shim+proxy', bytes: totals.cgroup + totals.shim + totals.proxy },
          { method: 'workload-pss', bytes: totals.workload },
        ];
      },
      async dispose() {
        await Promise.all([...live].map(remove));
        const made = network;
        network = undefined;
        if (made) await (await made.catch(() => undefined))?.remove().catch(() => undefined);
      },
    };
    return driver;
  },
});

const stagesOf = (deployments: Deployment[]) => deployments.flatMap((d) => (d as ServicesDeployment).stages);
