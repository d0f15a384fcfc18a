// The baseline: the workload's server app (node + handler, or a native binary) as a plain process
// on the host, one per tenant.
import type { ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { childExit, pinnedTo, startChild, stopChild } from './child.js';
import { childrenCpuSeconds, childrenMemory } from './child-readings.js';
import { platformEnv } from './platform.js';
import { allocatePort, releasePort } from './ports.js';
import type { Deployment, RuntimeDriver } from './types.js';
import { defineRuntime } from './types.js';

interface ProcessDeployment extends Deployment {
  child: ChildProcess;
  port: number;
}

const ProcessOptions = z
  .object({
    injectDelayMs: z
      .number()
      .min(0)
      .max(10_000)
      .default(0)
      .describe('FOR SELF-TESTS ONLY (coldbench aa --inject-slowdown): a delay added to every deploy, so a known slowdown can be detected.'),
  })
  .strict()
  .default({ injectDelayMs: 0 });

export const processRuntime = defineRuntime({
  name: 'process',
  family: 'process',
  summary: 'a plain process per tenant running the same handler (Node, the C binary, or python3): the baseline',
  artifacts: ['server-app'],
  phases: ['injected-delay', 'spawn'],
  options: ProcessOptions,
  delaySetting: 'injectDelayMs',
  async available() {
    return { available: true, version: `node ${process.version}` };
  },
  // On a foreign platform the server app was built for it (its node, or a cross-compiled binary).
  emulates: true,
  async create(context, options): Promise<RuntimeDriver> {
    const live = new Set<ProcessDeployment>();
    const driver: RuntimeDriver = {
      name: 'process',
      async deploy(artifacts, tenantId) {
        const app = artifacts.serverApp;
        if (!app) throw new Error(`workload ${artifacts.workload.name} has no server app built`);
        // Before the spawn: a delay after it would overlap the process's own start and vanish.
        if (options.injectDelayMs > 0) await sleep(options.injectDelayMs);
        const port = await allocatePort();
        const { child, spawnMs } = await startChild(context.runId, pinnedTo(context.serverCpus, app.command), {
          PORT: String(port),
          HOST: '127.0.0.1',
          ...platformEnv(context.platform),
        }).catch((error: Error) => {
          releasePort(port);
          throw error;
        });
        const deployment: ProcessDeployment = {
          runtime: 'process',
          tenantId,
          baseUrl: `http://127.0.0.1:${port}`,
          phases: [{ phase: 'spawn', ms: spawnMs }],
          child,
          port,
          watchExit: (signal) => childExit(child, signal),
        };
        live.add(deployment);
        if (options.injectDelayMs > 0) deployment.phases.unshift({ phase: 'injected-delay', ms: options.injectDelayMs });
        return deployment;
      },
      async teardown(deployment) {
        const d = deployment as ProcessDeployment;
        await stopChild(d.child);
        releasePort(d.port);
        live.delete(d);
      },
      cpuSeconds: (deployments) => childrenCpuSeconds(deployments.map((d) => (d as ProcessDeployment).child)),
      memory: (deployments) => childrenMemory(deployments.map((d) => (d as ProcessDeployment).child)),
      async dispose() {
        await Promise.all([...live].map((d) => driver.teardown(d)));
      },
    };
    return driver;
  },
});
