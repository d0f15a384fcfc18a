// Wasm components in a coldbench Wasm host: one Node process (src/runtimes/wasm-host/) that
// compiles each component's core modules once and instantiates them once per tenant. Adding a
// tenant to a running host is the Wasm cold start; starting the host is a phase of its own.
import type { ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { request } from 'node:http';
import { WASM_HOST_MAIN } from '../paths.js';
import type { WorkloadArtifacts } from '../workloads/artifacts.js';
import type { Deployment, PhaseTiming, RunContext, RuntimeDriver } from './types.js';
import { allocatePort, releasePort } from './ports.js';
import { nodeScript, outputTail, pinnedTo, startChild, stopChild } from './child.js';
import { processCpuSeconds } from '../sys/cpu.js';
import { access } from 'node:fs/promises';

interface Host {
  child: ChildProcess;
  port: number;
}

interface AddTenantAnswer {
  compileCached: boolean;
  timings: { compileMs: number; instantiateMs: number; firstCallMs: number };
  firstStatus: number;
  linearMemoryBytes: number;
}

export function wasmDriver(context: RunContext): RuntimeDriver {
  let host: Host | undefined;
  const live = new Set<Deployment>();

  async function startHost(): Promise<{ host: Host; phases: PhaseTiming[] }> {
    const port = await allocatePort();
    const started = performance.now();
    const { child, spawnMs } = await startChild(context.runId, pinnedTo(context.serverCpus, nodeScript(WASM_HOST_MAIN, '--port', String(port))), {});
    await waitForReady(child);
    return { host: { child, port }, phases: [{ phase: 'host-spawn', ms: spawnMs }, { phase: 'host-start', ms: performance.now() - started }] };
  }

  async function control(method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
    if (!host) throw new Error('the Wasm host is not running');
    return controlRequest(host.port, method, path, body);
  }

  async function addTenant(artifacts: WorkloadArtifacts, tenantId: string): Promise<AddTenantAnswer> {
    const component = artifacts.component;
    if (!component) throw new Error(`workload ${artifacts.workload.name} has no component built`);
    const firstPath = artifacts.workload.requests[0]!.path;
    const { status, json } = await control('POST', '/_control/tenants', { id: tenantId, module: component.module, firstPath });
    if (status !== 201) throw new Error(`the Wasm host refused tenant ${tenantId}: ${(json as { error?: string })?.error ?? status}`);
    return json as AddTenantAnswer;
  }

  return {
    name: 'wasm',
    async available() {
      try {
        await access(WASM_HOST_MAIN);
        return { available: true, version: `coldbench Wasm host on node ${process.version}` };
      } catch {
        return { available: false, reason: `the Wasm host is not built (${WASM_HOST_MAIN} is missing)`, fix: 'run `npm run build`' };
      }
    },
    async prepare(artifacts) {
      const phases: PhaseTiming[] = [];
      if (!host) {
        const started = await startHost();
        host = started.host;
        phases.push(...started.phases);
      }
      // Compile the component's core modules once (the cold-cache cost), with a tenant that is
      // removed at once: later tenants measure the warm path that a running platform takes.
      const primer = `${artifacts.workload.name}-primer`;
      const answer = await addTenant(artifacts, primer);
      await control('DELETE', `/_control/tenants/${encodeURIComponent(primer)}`);
      if (!answer.compileCached) phases.push({ phase: 'compile', ms: answer.timings.compileMs });
      return phases;
    },
    async deploy(artifacts: WorkloadArtifacts, tenantId: string): Promise<Deployment> {
      if (!host) await this.prepare!(artifacts);
      const answer = await addTenant(artifacts, tenantId);
      const phases: PhaseTiming[] = [];
      if (!answer.compileCached) phases.push({ phase: 'compile', ms: answer.timings.compileMs });
      phases.push({ phase: 'instantiate', ms: answer.timings.instantiateMs }, { phase: 'first-call', ms: answer.timings.firstCallMs });
      const deployment: Deployment = {
        runtime: 'wasm', tenantId, baseUrl: `http://127.0.0.1:${host!.port}/t/${encodeURIComponent(tenantId)}`, phases,
      };
      live.add(deployment);
      return deployment;
    },
    async teardown(deployment: Deployment) {
      live.delete(deployment);
      if (host) await control('DELETE', `/_control/tenants/${encodeURIComponent(deployment.tenantId)}`);
    },
    async cpuSeconds() {
      // Tenants share the host process: its CPU is what serving them all cost.
      return host ? processCpuSeconds(host.child.pid!) : 0;
    },
    async dispose() {
      live.clear();
      if (host) {
        const { child, port } = host;
        host = undefined;
        await stopChild(child);
        releasePort(port);
      }
    },
  };
}

function waitForReady(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const onData = (chunk: Buffer) => {
      seen += chunk.toString();
      if (seen.includes('coldbench-wasm-host ready')) {
        child.stdout?.off('data', onData);
        child.off('exit', onExit);
        resolve();
      }
    };
    const onExit = (code: number | null) => reject(new Error(`the Wasm host exited (${code}) before it was ready: ${outputTail(child)}`));
    child.stdout?.on('data', onData);
    child.once('exit', onExit);
  });
}

function controlRequest(port: number, method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, method, path, headers: payload ? { 'content-type': 'application/json' } : {} },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          let json: unknown;
          try {
            json = text ? JSON.parse(text) : undefined;
          } catch {
            json = { error: text };
          }
          resolve({ status: res.statusCode ?? 0, json });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}
