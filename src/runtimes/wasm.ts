// Wasm components in coldbench Wasm hosts (src/wasm-host/): Node processes that compile each
// component's core modules once and instantiate them once per tenant.
// - shared (runtime "wasm"): one host for every tenant. Adding a tenant to the running host is the Wasm
//   cold start; starting the host and the first compile are recorded once, as set-up phases.
// - per-process (runtime "wasm-per-process"): one host per tenant, so every cold start pays host start and compile. Comparing
//   the two shows whether density comes from Wasm or from the hosting model.
import { access } from 'node:fs/promises';
import { WASM_HOST_MAIN } from '../paths.js';
import type { WorkloadArtifacts } from '../workloads/artifacts.js';
import type { Deployment, PhaseTiming, RunContext, RuntimeDriver } from './types.js';
import { WasmHostProcess, type AddTenantAnswer } from './wasm-host-process.js';
import { processCpuSeconds } from '../sys/cpu.js';
import { processMemory } from '../sys/proc-memory.js';

interface WasmDeployment extends Deployment {
  host: WasmHostProcess;
}

export type WasmHosting = 'shared' | 'per-process';

export function wasmDriver(context: RunContext, hosting: WasmHosting): RuntimeDriver {
  let shared: WasmHostProcess | undefined;
  const live = new Set<WasmDeployment>();

  const tenantPhases = (answer: AddTenantAnswer): PhaseTiming[] => [
    ...(answer.compileCached ? [] : [{ phase: 'compile', ms: answer.timings.compileMs }]),
    { phase: 'instantiate', ms: answer.timings.instantiateMs },
    { phase: 'first-call', ms: answer.timings.firstCallMs },
  ];

  async function sharedHost(): Promise<{ host: WasmHostProcess; phases: PhaseTiming[] }> {
    if (shared) return { host: shared, phases: [] };
    const started = await WasmHostProcess.start(context.runId, context.serverCpus);
    shared = started.host;
    return started;
  }

  return {
    name: hosting === 'shared' ? 'wasm' : 'wasm-per-process',
    async available() {
      try {
        await access(WASM_HOST_MAIN);
        return { available: true, version: `coldbench Wasm host (${hosting}) on node ${process.version}` };
      } catch {
        return { available: false, reason: `the Wasm host is not built (${WASM_HOST_MAIN} is missing)`, fix: 'run `npm run build`' };
      }
    },
    async prepare(artifacts) {
      if (hosting === 'per-process') return [];
      const { host, phases } = await sharedHost();
      // Compile once (the cold-cache cost) with a tenant that is removed at once: later tenants
      // measure the warm path that a running platform takes.
      const primer = `${artifacts.workload.name}-primer`;
      const answer = await host.addTenant(artifacts, primer);
      await host.removeTenant(primer);
      return answer.compileCached ? phases : [...phases, { phase: 'compile', ms: answer.timings.compileMs }];
    },
    async deploy(artifacts: WorkloadArtifacts, tenantId: string): Promise<Deployment> {
      const { host, phases } = hosting === 'per-process'
        ? await WasmHostProcess.start(context.runId, context.serverCpus)
        : await sharedHost();
      const deployment: WasmDeployment = { runtime: this.name, tenantId, baseUrl: host.tenantUrl(tenantId), phases: [...phases], host };
      live.add(deployment);
      deployment.phases.push(...tenantPhases(await host.addTenant(artifacts, tenantId)));
      return deployment;
    },
    async teardown(deployment: Deployment) {
      const d = deployment as WasmDeployment;
      live.delete(d);
      if (hosting === 'per-process') await d.host.stop();
      else await d.host.removeTenant(d.tenantId);
    },
    async cpuSeconds(deployments: Deployment[]) {
      // Tenants of a shared host share its process: its CPU is what serving them all cost.
      const pids = new Set(deployments.map((d) => (d as WasmDeployment).host.pid));
      let total = 0;
      for (const pid of pids) total += await processCpuSeconds(pid);
      return total;
    },
    async memory(deployments: Deployment[]) {
      const hosts = hosting === 'shared' ? (shared ? [shared] : []) : [...new Set(deployments.map((d) => (d as WasmDeployment).host))];
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
}
