// A driver for Wasm components served by Wasm host processes that speak the control protocol
// (src/wasm-host/protocol.ts). Two hosting models:
// - shared: one host for every tenant. Adding a tenant to the running host is the Wasm cold start;
//   starting the host and the first compile are recorded once, as set-up phases.
// - per-tenant: one host per tenant, so every cold start pays host start and compile. Comparing
//   the two shows whether density comes from Wasm or from the hosting model.

import { processCpuSeconds, processMemory } from '../sys/proc.js';
import type { AddTenantAnswer } from '../wasm-host/protocol.js';
import type { WorkloadArtifacts } from '../workloads/artifacts.js';
import type { Deployment, PhaseTiming, RunContext, RuntimeDriver } from './types.js';
import { type HostCommand, WasmHostClient } from './wasm-host-client.js';

interface HostedDeployment extends Deployment {
  host: WasmHostClient;
}

export interface HostedWasmOptions {
  name: string;
  variant?: string;
  context: RunContext;
  hosting: 'shared' | 'per-tenant';
  command: HostCommand;
}

/** The host's own floor: instantiations back to back, then after an idle gap like the one between two cold starts. */
const REFERENCE = { iterations: 100, gapMs: 100, gapIterations: 10 };

/** Phases a tenant's addition reports; compile only when it really compiled. */
function tenantPhases(answer: AddTenantAnswer): PhaseTiming[] {
  return answer.phases.filter((p) => p.phase !== 'compile' || !answer.compileCached);
}

export function hostedWasmDriver(options: HostedWasmOptions): RuntimeDriver {
  const { context, hosting } = options;
  let shared: WasmHostClient | undefined;
  const live = new Set<HostedDeployment>();

  async function sharedHost(): Promise<{ host: WasmHostClient; phases: PhaseTiming[] }> {
    if (shared) return { host: shared, phases: [] };
    const started = await WasmHostClient.start(context.runId, options.command);
    shared = started.host;
    return started;
  }

  const addRequest = (artifacts: WorkloadArtifacts, id: string) => {
    if (!artifacts.component?.sha256) throw new Error(`workload ${artifacts.workload.name} has no component built`);
    return { id, component: artifacts.component.sha256, firstPath: artifacts.workload.requests[0]!.path };
  };
  const addTenant = (host: WasmHostClient, artifacts: WorkloadArtifacts, id: string) => host.addTenant(addRequest(artifacts, id));

  const driver: RuntimeDriver = {
    name: options.name,
    variant: options.variant,
    async prepare(artifacts) {
      if (hosting === 'per-tenant') return [];
      const { host, phases } = await sharedHost();
      // Compile once (the cold-cache cost) with a tenant that is removed at once: later tenants
      // measure the warm path that a running platform takes.
      const primer = `${artifacts.workload.name}-primer`;
      const answer = await addTenant(host, artifacts, primer);
      await host.removeTenant(primer);
      // The wasmtime host links a component once (instantiate-pre) and reuses it for later tenants: also once per run.
      return [...phases, ...answer.phases.filter((p) => p.phase === 'compile' || p.phase === 'load' || p.phase === 'instantiate-pre')];
    },
    async deploy(artifacts, tenantId) {
      const { host, phases } = hosting === 'per-tenant' ? await WasmHostClient.start(context.runId, options.command) : await sharedHost();
      const deployment: HostedDeployment = {
        runtime: options.name,
        variant: options.variant,
        tenantId,
        baseUrl: host.tenantUrl(tenantId),
        phases: [...phases],
        host,
      };
      live.add(deployment);
      try {
        deployment.phases.push(...tenantPhases(await addTenant(host, artifacts, tenantId)));
      } catch (error) {
        await driver.teardown(deployment).catch(() => undefined);
        throw error;
      }
      return deployment;
    },
    // A shared host only: a host per tenant is torn down with its tenant.
    ...(hosting === 'shared'
      ? {
          async reference(artifacts: WorkloadArtifacts) {
            if (!artifacts.component?.sha256) throw new Error(`workload ${artifacts.workload.name} has no component built`);
            const { host } = await sharedHost();
            return (await host.reference({ component: artifacts.component.sha256, ...REFERENCE })).series;
          },
        }
      : {}),
    // On a running shared host, the native prober sends the add-tenant request itself on a
    // kept-alive connection and probes at once: the Node event loop is out of the cold start.
    proberDeploy:
      hosting === 'shared'
        ? (artifacts, tenantId) => {
            if (!shared) return undefined; // prepare() starts the host; without it, deploy() does
            const host = shared;
            const deployment: HostedDeployment = {
              runtime: options.name,
              variant: options.variant,
              tenantId,
              baseUrl: host.tenantUrl(tenantId),
              phases: [],
              host,
            };
            live.add(deployment);
            return {
              deployment,
              controlPort: host.port,
              request: host.addTenantRequest(addRequest(artifacts, tenantId)),
              answered: (body) => deployment.phases.push(...tenantPhases(JSON.parse(body) as AddTenantAnswer)),
            };
          }
        : undefined,
    async teardown(deployment) {
      const d = deployment as HostedDeployment;
      live.delete(d);
      if (hosting === 'per-tenant') await d.host.stop();
      else await d.host.removeTenant(d.tenantId);
    },
    async cpuSeconds(deployments) {
      // Tenants of a shared host share its process: its CPU is what serving them all cost.
      const pids = new Set(deployments.map((d) => (d as HostedDeployment).host.pid));
      let total = 0;
      for (const pid of pids) total += await processCpuSeconds(pid);
      return total;
    },
    async servingProcesses(deployments) {
      const hosts = new Set(deployments.map((d) => (d as HostedDeployment).host));
      return Promise.all(
        [...hosts].map(async (host) => {
          const stats = await host.stats();
          return { pid: host.pid, faults: stats.faults, heap: stats.heap };
        }),
      );
    },
    async memory(deployments) {
      const hosts = hosting === 'shared' ? (shared ? [shared] : []) : [...new Set(deployments.map((d) => (d as HostedDeployment).host))];
      let pss = 0;
      let linear = 0;
      for (const host of hosts) {
        pss += (await processMemory(host.pid)).pssBytes;
        linear += (await host.stats()).linearMemoryBytes;
      }
      return [
        { method: hosting === 'shared' ? 'host-pss' : 'pss', bytes: pss, sharedBase: hosting === 'shared' },
        { method: 'linear-memory', bytes: linear },
      ];
    },
    async dispose() {
      const hosts = new Set([...live].map((d) => d.host));
      if (shared) hosts.add(shared);
      live.clear();
      shared = undefined;
      await Promise.all([...hosts].map((h) => h.stop()));
    },
  };
  return driver;
}
