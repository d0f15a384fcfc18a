// The baseline: the workload's server app (node + handler, or a native binary) as a process on
// the host, one per tenant: plain, or sandboxed by bubblewrap (process-sandbox.ts), each a variant.
import type { ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { choiceList } from '../choice-list.js';
import { childExit, pinnedTo, startChild, stopChild } from './child.js';
import { combinationOf, combinations, type Dimension } from './docker-variants.js';
import { platformEnv } from './platform.js';
import { allocatePort, releasePort } from './ports.js';
import { PROCESS_SANDBOXES, type ProcessSandbox } from './process-sandbox.js';
import { processTrees, treesCpuSeconds, treesMemory } from './process-tree.js';
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
    sandbox: choiceList(PROCESS_SANDBOXES, 'sandbox')
      .default(['none'])
      .describe(
        "none: a plain process of the harness's user with its environment. bubblewrap: the same app under bwrap (Debian's bubblewrap, installed by the set-up), as nobody when the harness is root, in its own user, pid, ipc, uts and cgroup namespaces, with an empty environment, a read-only root holding only the app, its executable and libraries, a private /tmp, no capabilities, and a seccomp filter refusing outgoing connections; it shares the host's network namespace to listen on 127.0.0.1. Each listed is measured as a variant.",
      ),
  })
  .strict()
  .default({ injectDelayMs: 0, sandbox: ['none'] });

/** The sandbox as a variant dimension: a list of only "none" names no variant, as before sandboxes existed. */
const sandboxes = (options: { sandbox: ProcessSandbox[] }): Dimension[] => [{ values: options.sandbox, default: 'none' }];

const pidsOf = (deployments: Deployment[]) => deployments.map((d) => (d as ProcessDeployment).child.pid!);

export const processRuntime = defineRuntime({
  name: 'process',
  family: 'process',
  summary: 'a process per tenant running the same handler (Node, the C binary, or python3), plain or sandboxed by bubblewrap: the baseline',
  artifacts: ['server-app'],
  phases: ['injected-delay', 'spawn'],
  options: ProcessOptions,
  delaySetting: 'injectDelayMs',
  variants: (options) => {
    const labels = combinations(sandboxes(options)).map((c) => c.label);
    return labels.every((l) => l === undefined) ? undefined : (labels as string[]);
  },
  async variantAvailable(options, variant) {
    const [sandbox] = combinationOf(sandboxes(options), variant).values;
    if (sandbox !== 'bubblewrap') return { available: true };
    return (await import('./process-sandbox.js')).bubblewrapAvailable();
  },
  async available() {
    return { available: true, version: `node ${process.version}` };
  },
  async checks() {
    const sandbox = await (await import('./process-sandbox.js')).bubblewrapAvailable();
    return [
      sandbox.available
        ? { name: 'sandbox: bubblewrap', ok: true, detail: sandbox.version ?? 'bwrap' }
        : { name: 'sandbox: bubblewrap', ok: false, detail: sandbox.reason, fix: sandbox.fix },
    ];
  },
  // On a foreign platform the server app was built for it (its node, or a cross-compiled binary).
  emulates: true,
  async create(context, options, variant): Promise<RuntimeDriver> {
    const sandbox = combinationOf(sandboxes(options), variant).values[0] as ProcessSandbox;
    if (sandbox === 'bubblewrap' && context.platform?.emulated) {
      throw new Error(
        `process.sandbox: bubblewrap does not run emulated ${context.platform.arch} tenants (their interpreter and libraries are not bound in); measure it on this machine's own platform`,
      );
    }
    const { sandboxArgv, stopSandbox } = await import('./process-sandbox.js');
    const live = new Set<ProcessDeployment>();
    const driver: RuntimeDriver = {
      name: 'process',
      variant,
      async deploy(artifacts, tenantId) {
        const app = artifacts.serverApp;
        if (!app) throw new Error(`workload ${artifacts.workload.name} has no server app built`);
        // Before the spawn: a delay after it would overlap the process's own start and vanish.
        if (options.injectDelayMs > 0) await sleep(options.injectDelayMs);
        const port = await allocatePort();
        const env = { PORT: String(port), HOST: '127.0.0.1', ...platformEnv(context.platform) };
        const command = sandbox === 'bubblewrap' ? (await sandboxArgv(app.command, env, app.dir)).argv : app.command;
        const { child, spawnMs } = await startChild(context.runId, pinnedTo(context.serverCpus, command), env).catch((error: Error) => {
          releasePort(port);
          throw error;
        });
        const deployment: ProcessDeployment = {
          runtime: 'process',
          ...(variant ? { variant } : {}),
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
        if (sandbox === 'bubblewrap') await stopSandbox(d.child, context.runId, d.port);
        else await stopChild(d.child);
        releasePort(d.port);
        live.delete(d);
      },
      // A sandboxed tenant is a tree (bwrap, its init, the app): what it costs is the whole tree.
      cpuSeconds: (deployments) => treesCpuSeconds(pidsOf(deployments)),
      servingProcesses: async (deployments) => (await processTrees(pidsOf(deployments))).flat().map((pid) => ({ pid })),
      memory: (deployments) => treesMemory(pidsOf(deployments)),
      async dispose() {
        await Promise.all([...live].map((d) => driver.teardown(d)));
      },
    };
    return driver;
  },
});
