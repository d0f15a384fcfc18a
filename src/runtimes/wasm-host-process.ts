// The harness's side of one coldbench Wasm host process (src/wasm-host/): start it, talk to its
// control API on 127.0.0.1, add and remove tenants, stop it.
import type { ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { request } from 'node:http';
import { WASM_HOST_MAIN } from '../paths.js';
import type { WorkloadArtifacts } from '../workloads/artifacts.js';
import type { PhaseTiming } from './types.js';
import { allocatePort, releasePort } from './ports.js';
import { nodeScript, outputTail, pinnedTo, startChild, stopChild } from './child.js';

export interface AddTenantAnswer {
  compileCached: boolean;
  timings: { compileMs: number; instantiateMs: number; firstCallMs: number };
  firstStatus: number;
  linearMemoryBytes: number;
}

export class WasmHostProcess {
  private constructor(readonly child: ChildProcess, readonly port: number) {}

  /** Starts a host and waits until it listens; the phases say how long that took. */
  static async start(runId: string, serverCpus: string | undefined): Promise<{ host: WasmHostProcess; phases: PhaseTiming[] }> {
    const port = await allocatePort();
    const started = performance.now();
    const { child, spawnMs } = await startChild(runId, pinnedTo(serverCpus, nodeScript(WASM_HOST_MAIN, '--port', String(port))), {});
    try {
      await waitForReady(child);
    } catch (error) {
      await stopChild(child);
      releasePort(port);
      throw error;
    }
    return { host: new WasmHostProcess(child, port), phases: [{ phase: 'host-spawn', ms: spawnMs }, { phase: 'host-start', ms: performance.now() - started }] };
  }

  get pid(): number {
    return this.child.pid!;
  }

  tenantUrl(tenantId: string): string {
    return `http://127.0.0.1:${this.port}/t/${encodeURIComponent(tenantId)}`;
  }

  async addTenant(artifacts: WorkloadArtifacts, tenantId: string): Promise<AddTenantAnswer> {
    const component = artifacts.component;
    if (!component) throw new Error(`workload ${artifacts.workload.name} has no component built`);
    const firstPath = artifacts.workload.requests[0]!.path;
    const { status, json } = await this.control('POST', '/_control/tenants', { id: tenantId, module: component.module, firstPath });
    if (status !== 201) throw new Error(`the Wasm host refused tenant ${tenantId}: ${(json as { error?: string })?.error ?? status}`);
    return json as AddTenantAnswer;
  }

  async removeTenant(tenantId: string): Promise<void> {
    await this.control('DELETE', `/_control/tenants/${encodeURIComponent(tenantId)}`);
  }

  async stats(): Promise<{ tenants: number; linearMemoryBytes: number }> {
    const { json } = await this.control('GET', '/_control/stats');
    return json as { tenants: number; linearMemoryBytes: number };
  }

  async stop(): Promise<void> {
    await stopChild(this.child);
    releasePort(this.port);
  }

  private control(method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port: this.port, method, path, headers: payload ? { 'content-type': 'application/json' } : {} },
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
