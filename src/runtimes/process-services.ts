// A pipeline as services on processes: one process per stage (the C check stage's static binary,
// the JS stages on node), each on its own loopback port; the front calls the other stages over
// HTTP on 127.0.0.1. A tenant is the whole pipeline: its URL is the front's. Only for workloads
// whose server app has stage services (a pipeline, see docs/composition.md).
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { pipelineServices, stageServicesOnly } from '../workloads/pipeline-sources.js';
import { childExit, pinnedTo, startChild, stopChild } from './child.js';
import { childrenCpuSeconds, childrenMemory } from './child-readings.js';
import { allocatePort, releasePort } from './ports.js';
import { type Deployment, defineRuntime, type RuntimeDriver } from './types.js';

interface ServicesDeployment extends Deployment {
  children: ChildProcess[];
  ports: number[];
}

export const processServices = defineRuntime({
  name: 'process-services',
  family: 'process',
  summary: 'a pipeline workload as one process per stage, calling each other over loopback HTTP (other workloads: not deployable)',
  stageServices: true,
  artifacts: ['server-app'],
  phases: ['spawn'],
  async available() {
    return { available: true, version: `node ${process.version}` };
  },
  async create(context): Promise<RuntimeDriver> {
    const live = new Set<ServicesDeployment>();
    const driver: RuntimeDriver = {
      name: 'process-services',
      cannotDeploy: stageServicesOnly,
      async deploy(artifacts, tenantId) {
        const app = artifacts.serverApp;
        const services = pipelineServices(app);
        if (!app || !services) throw new Error(`workload ${artifacts.workload.name} has no stage services (process-services deploys pipeline workloads only)`);
        const ports = new Map<string, number>();
        const deployment: ServicesDeployment = { runtime: 'process-services', tenantId, baseUrl: '', phases: [], children: [], ports: [] };
        try {
          for (const service of services) {
            const port = await allocatePort();
            ports.set(service.stage, port);
            deployment.ports.push(port);
          }
          const url = (stage: string) => `http://127.0.0.1:${ports.get(stage)}`;
          // All at once: the front listens once its stages do (stages-http.js), so the first
          // answer waited for is the whole pipeline's.
          const started = await Promise.all(
            services.map((service) => {
              const entry = join(app.dir, service.entry);
              const command = service.node ? [process.execPath, entry] : [entry];
              return startChild(context.runId, pinnedTo(context.serverCpus, command), {
                PORT: String(ports.get(service.stage)),
                HOST: '127.0.0.1',
                PIPELINE_CHECK_URL: url('check'),
                PIPELINE_SHAPE_URL: url('shape'),
              });
            }),
          );
          deployment.children = started.map((s) => s.child);
          deployment.phases.push({ phase: 'spawn', ms: Math.max(...started.map((s) => s.spawnMs)) });
          deployment.baseUrl = url('front');
          // A stage that exits ends the tenant: the probe stops waiting at once.
          deployment.watchExit = (signal) =>
            Promise.race(deployment.children.map((child, i) => childExit(child, signal).then((how) => `stage ${services[i]!.stage} ${how}`)));
        } catch (error) {
          await release(deployment);
          throw error;
        }
        live.add(deployment);
        return deployment;
      },
      async teardown(deployment) {
        await release(deployment as ServicesDeployment);
        live.delete(deployment as ServicesDeployment);
      },
      cpuSeconds: (deployments) => childrenCpuSeconds(deployments.flatMap((d) => (d as ServicesDeployment).children)),
      memory: (deployments) => childrenMemory(deployments.flatMap((d) => (d as ServicesDeployment).children)),
      async dispose() {
        await Promise.all([...live].map((d) => driver.teardown(d)));
      },
    };
    return driver;
  },
});

async function release(deployment: ServicesDeployment): Promise<void> {
  await Promise.all(deployment.children.map((child) => stopChild(child)));
  for (const port of deployment.ports) releasePort(port);
}
