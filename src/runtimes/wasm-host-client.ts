// The harness's side of one Wasm host process (the V8 host or the wasmtime host; both speak
// src/wasm-host/protocol.ts): start it, add and remove tenants through its control API on
// 127.0.0.1, read its stats, stop it. Each host gets a secret of its own for its control API.
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { jsonRequest } from '../http-client.js';
import { COMPONENTS_DIR } from '../paths.js';
import {
  type AddTenantAnswer,
  type AddTenantRequest,
  bearer,
  CONTROL_AUTHORIZATION,
  CONTROL_REFERENCE,
  CONTROL_SECRET_ENV,
  CONTROL_STATS,
  CONTROL_TENANTS,
  type HostStats,
  READY_LINE,
  type ReferenceAnswer,
  type ReferenceRequest,
  tenantPath,
} from '../wasm-host/protocol.js';
import { pinnedTo, startChild, stopChild, waitForOutput } from './child.js';
import { allocatePort, releasePort } from './ports.js';
import type { PhaseTiming } from './types.js';

const COMPILE_TIMEOUT_MS = 600_000;

export interface HostCommand {
  /** argv of the host; `--port <port> --artifacts <dir>` is appended. */
  argv: string[];
  serverCpus?: string;
  /** Where the host may load components from (default: the store builds publish to). */
  artifactsDir?: string;
  /** Added to (or, when undefined, removed from) the host's environment. */
  env?: Record<string, string | undefined>;
}

export class WasmHostClient {
  private constructor(
    readonly child: ChildProcess,
    readonly port: number,
    private readonly secret: string,
  ) {}

  /** Starts a host and waits until it listens; the phases say how long that took. */
  static async start(runId: string, command: HostCommand): Promise<{ host: WasmHostClient; phases: PhaseTiming[] }> {
    const port = await allocatePort();
    const started = performance.now();
    let child: ChildProcess | undefined;
    try {
      const secret = randomBytes(32).toString('hex');
      const argv = [...command.argv, '--port', String(port), '--artifacts', command.artifactsDir ?? COMPONENTS_DIR];
      const spawned = await startChild(runId, pinnedTo(command.serverCpus, argv), { ...(command.env ?? {}), [CONTROL_SECRET_ENV]: secret });
      child = spawned.child;
      await waitForOutput(child, READY_LINE, 'the Wasm host');
      return {
        host: new WasmHostClient(child, port, secret),
        phases: [
          { phase: 'host-spawn', ms: spawned.spawnMs },
          { phase: 'host-start', ms: performance.now() - started },
        ],
      };
    } catch (error) {
      if (child) await stopChild(child);
      releasePort(port);
      throw error;
    }
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** The control API's base URL (requests need the secret this client holds). */
  get controlUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  tenantUrl(tenantId: string): string {
    return `http://127.0.0.1:${this.port}${tenantPath(tenantId)}`;
  }

  async addTenant(request: AddTenantRequest): Promise<AddTenantAnswer> {
    // The first tenant of a component may compile it: a 12 MiB JS component takes wasmtime's
    // Cranelift about 30 s on two busy cores.
    const { status, json } = await this.control('POST', CONTROL_TENANTS, request, COMPILE_TIMEOUT_MS);
    if (status !== 201) throw new Error(`the Wasm host refused tenant ${request.id}: ${(json as { error?: string })?.error ?? `status ${status}`}`);
    return json as AddTenantAnswer;
  }

  /** The add-tenant request as raw HTTP/1.1 bytes for a kept-alive connection (the native prober sends it). */
  addTenantRequest(request: AddTenantRequest): Buffer {
    const body = Buffer.from(JSON.stringify(request));
    const head = [
      `POST ${CONTROL_TENANTS} HTTP/1.1`,
      `host: 127.0.0.1:${this.port}`,
      `${CONTROL_AUTHORIZATION}: ${bearer(this.secret)}`,
      'content-type: application/json',
      `content-length: ${body.length}`,
    ];
    return Buffer.concat([Buffer.from(`${head.join('\r\n')}\r\n\r\n`), body]);
  }

  async removeTenant(tenantId: string): Promise<void> {
    await this.control('DELETE', `${CONTROL_TENANTS}/${encodeURIComponent(tenantId)}`);
  }

  /** The host's own instantiation floor for a component (see ReferenceRequest). */
  async reference(request: ReferenceRequest): Promise<ReferenceAnswer> {
    const { status, json } = await this.control('POST', CONTROL_REFERENCE, request, COMPILE_TIMEOUT_MS);
    if (status !== 200) throw new Error(`the Wasm host refused the reference run: ${(json as { error?: string })?.error ?? `status ${status}`}`);
    return json as ReferenceAnswer;
  }

  async stats(): Promise<HostStats> {
    return (await this.control('GET', CONTROL_STATS)).json as HostStats;
  }

  async stop(): Promise<void> {
    await stopChild(this.child);
    releasePort(this.port);
  }

  private control(method: string, path: string, body?: unknown, timeoutMs = 30_000): Promise<{ status: number; json: unknown }> {
    return jsonRequest(new URL(`http://127.0.0.1:${this.port}${path}`), method, body, timeoutMs, { [CONTROL_AUTHORIZATION]: bearer(this.secret) });
  }
}
