// The baseline: the workload's server app (node + handler, or a native binary) as a plain process
// on the host, one per tenant.
import type { ChildProcess } from 'node:child_process';
import type { WorkloadArtifacts } from '../workloads/artifacts.js';
import type { Deployment, RunContext, RuntimeDriver } from './types.js';
import { allocatePort, releasePort } from './ports.js';
import { pinnedTo, startChild, stopChild } from './child.js';
import { processCpuSeconds } from '../sys/cpu.js';
import { processMemory } from '../sys/proc-memory.js';

interface ProcessDeployment extends Deployment {
  child: ChildProcess;
  port: number;
}

export function processDriver(context: RunContext): RuntimeDriver {
  const live = new Set<ProcessDeployment>();
  return {
    name: 'process',
    async available() {
      return { available: true, version: `node ${process.version}` };
    },
    async deploy(artifacts: WorkloadArtifacts, tenantId: string): Promise<Deployment> {
      const app = artifacts.serverApp;
      if (!app) throw new Error(`workload ${artifacts.workload.name} has no server app built`);
      const port = await allocatePort();
      const { child, spawnMs } = await startChild(context.runId, pinnedTo(context.serverCpus, app.command), { PORT: String(port), HOST: '127.0.0.1' });
      const deployment: ProcessDeployment = {
        runtime: 'process', tenantId, baseUrl: `http://127.0.0.1:${port}`,
        phases: [{ phase: 'spawn', ms: spawnMs }], child, port,
      };
      live.add(deployment);
      return deployment;
    },
    async teardown(deployment: Deployment) {
      const d = deployment as ProcessDeployment;
      await stopChild(d.child);
      releasePort(d.port);
      live.delete(d);
    },
    async cpuSeconds(deployments: Deployment[]) {
      let total = 0;
      for (const d of deployments) total += await processCpuSeconds((d as ProcessDeployment).child.pid!);
      return total;
    },
    async memory(deployments: Deployment[]) {
      let pss = 0;
      let rss = 0;
      for (const d of deployments) {
        const memory = await processMemory((d as ProcessDeployment).child.pid!);
        pss += memory.pssBytes;
        rss += memory.rssBytes;
      }
      return [{ method: 'pss', bytes: pss }, { method: 'rss', bytes: rss }];
    },
    async dispose() {
      await Promise.all([...live].map((d) => this.teardown(d)));
    },
  };
}
