// The driver of wasmtime-services (see wasmtime-services.ts): one shared wasmtime host; a deploy
// adds the check and shape stages as tenants of their own (at once), then the front, granted
// exactly their URL prefixes and given them as PIPELINE_CHECK_URL and PIPELINE_SHAPE_URL.
import { performance } from 'node:perf_hooks';
import { processCpuSeconds, processMemory } from '../sys/proc.js';
import type { AddTenantRequest } from '../wasm-host/protocol.js';
import type { WorkloadArtifacts } from '../workloads/artifacts.js';
import { PIPELINE_STAGES, stageServicesOnly } from '../workloads/pipeline-sources.js';
import type { Deployment, PhaseTiming, RunContext, RuntimeDriver } from './types.js';
import { WasmHostClient } from './wasm-host-client.js';
import { wasmtimeHostArgv } from './wasmtime-build.js';

type Stage = (typeof PIPELINE_STAGES)[number];

/** The runtime's settings (wasmtime-services.ts's options; declared here to keep imports acyclic). */
export interface WasmtimeServicesSettings {
  instanceModel: 'per-tenant' | 'per-request';
  requestTimeoutMs: number;
  maxMemoryMiB: number;
}

interface ServicesDeployment extends Deployment {
  /** Tenant ids on the host, front last (removed first). */
  tenants: string[];
}

/** The host tenant id of a pipeline tenant's stage: the front is the pipeline tenant itself. */
export function stageTenantId(tenantId: string, stage: Stage): string {
  return stage === 'front' ? tenantId : `${tenantId}.${stage}`;
}

/** The add-tenant requests of one pipeline tenant, in deploy order: the stages (added at once), then the front with its grants. */
export function stageRequests(
  services: Record<string, string>,
  tenantId: string,
  tenantUrl: (id: string) => string,
  firstPath: string,
): { stages: AddTenantRequest[]; front: AddTenantRequest } {
  const component = (stage: Stage) => {
    const sha256 = services[stage];
    if (!sha256) throw new Error(`the pipeline's ${stage} stage has no service component built`);
    return sha256;
  };
  const url = (stage: Stage) => tenantUrl(stageTenantId(tenantId, stage));
  const stages = (['check', 'shape'] as const).map((stage) => ({ id: stageTenantId(tenantId, stage), component: component(stage), firstPath: '/' }));
  return {
    stages,
    front: {
      id: tenantId,
      component: component('front'),
      firstPath,
      // Exactly the two stages: a prefix ending in / admits only paths under that tenant.
      outgoing: [`${url('check')}/`, `${url('shape')}/`],
      env: { PIPELINE_CHECK_URL: url('check'), PIPELINE_SHAPE_URL: url('shape') },
    },
  };
}

export function wasmtimeServicesDriver(context: RunContext, options: WasmtimeServicesSettings): RuntimeDriver {
  let host: WasmHostClient | undefined;
  let starting: Promise<WasmHostClient> | undefined;
  let startPhases: PhaseTiming[] = [];
  const live = new Set<ServicesDeployment>();

  /** The one host, started once however many deploys ask for it at once. */
  function sharedHost(): Promise<WasmHostClient> {
    starting ??= startHost().catch((error) => {
      starting = undefined;
      throw error;
    });
    return starting;
  }

  async function startHost(): Promise<WasmHostClient> {
    const started = await WasmHostClient.start(context.runId, {
      argv: wasmtimeHostArgv(options.instanceModel, options.requestTimeoutMs, options.maxMemoryMiB),
      serverCpus: context.serverCpus,
    });
    host = started.host;
    startPhases = started.phases;
    return host;
  }

  const services = (artifacts: WorkloadArtifacts) => {
    const found = artifacts.component?.services;
    if (!found) throw new Error(`workload ${artifacts.workload.name} has no stage service components (wasmtime-services deploys pipeline workloads only)`);
    return found;
  };

  const driver: RuntimeDriver = {
    name: 'wasmtime-services',
    cannotDeploy: stageServicesOnly,
    async prepare(artifacts) {
      const h = await sharedHost();
      // Compile every stage's component once (the cold-cache cost) with primer tenants removed at
      // once: deploys then measure the warm path a running platform takes.
      // Their compile and load phases are summed over the three stages.
      const ahead = new Map<string, number>();
      for (const stage of PIPELINE_STAGES) {
        const primer = `${artifacts.workload.name}-primer.${stage}`;
        const answer = await h.addTenant({ id: primer, component: services(artifacts)[stage]!, firstPath: '/' });
        await h.removeTenant(primer);
        for (const p of answer.phases) if (p.phase === 'compile' || p.phase === 'load') ahead.set(p.phase, (ahead.get(p.phase) ?? 0) + p.ms);
      }
      const phases = [...startPhases, ...[...ahead].map(([phase, ms]) => ({ phase, ms }))];
      startPhases = [];
      return phases;
    },
    async deploy(artifacts, tenantId) {
      const h = await sharedHost();
      const requests = stageRequests(services(artifacts), tenantId, (id) => h.tenantUrl(id), artifacts.workload.requests[0]!.path);
      const deployment: ServicesDeployment = {
        runtime: 'wasmtime-services',
        tenantId,
        baseUrl: h.tenantUrl(tenantId),
        phases: [],
        tenants: [],
      };
      live.add(deployment);
      try {
        let t = performance.now();
        // Settled, not raced: a stage still being added when the other failed is torn down too.
        const added = await Promise.allSettled(requests.stages.map((request) => h.addTenant(request).then(() => deployment.tenants.push(request.id))));
        const failed = added.find((a) => a.status === 'rejected');
        if (failed) throw failed.reason;
        deployment.phases.push({ phase: 'stages', ms: performance.now() - t });
        t = performance.now();
        await h.addTenant(requests.front);
        deployment.tenants.push(requests.front.id);
        deployment.phases.push({ phase: 'front', ms: performance.now() - t });
      } catch (error) {
        await driver.teardown(deployment).catch(() => undefined);
        throw error;
      }
      return deployment;
    },
    async teardown(deployment) {
      const d = deployment as ServicesDeployment;
      live.delete(d);
      if (!host) return;
      for (const id of [...d.tenants].reverse()) await host.removeTenant(id);
      d.tenants = [];
    },
    async cpuSeconds() {
      return host ? processCpuSeconds(host.pid) : 0;
    },
    async servingProcesses() {
      return host ? [{ pid: host.pid, faults: (await host.stats()).faults }] : [];
    },
    // One host serves every stage of every tenant: its PSS (with the host's own base, which does
    // not grow with tenants) and the linear memory of every stage's instance.
    async memory() {
      if (!host) return [];
      return [
        { method: 'host-pss', bytes: (await processMemory(host.pid)).pssBytes, sharedBase: true },
        { method: 'linear-memory', bytes: (await host.stats()).linearMemoryBytes },
      ];
    },
    async dispose() {
      const h = host ?? (await starting?.catch(() => undefined));
      live.clear();
      host = undefined;
      starting = undefined;
      await h?.stop();
    },
  };
  return driver;
}
