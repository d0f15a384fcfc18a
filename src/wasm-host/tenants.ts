// Tenants: independent instances of a component in this one process. Each has its own linear
// memories and state; requests reach it through the wasi:http incoming-handler export.
import { performance } from 'node:perf_hooks';
import type { PhaseTiming } from '../runtimes/types.js';
import { loadComponent } from './components.js';
import { wasiImports } from './wasi-imports.js';
import { IncomingRequest, ResponseOutparam, toMethod } from './wasi-http.js';

interface IncomingHandler {
  handle(request: IncomingRequest, responseOut: ResponseOutparam): void;
}

export interface Tenant {
  id: string;
  handler: IncomingHandler;
  memories: WebAssembly.Memory[];
  broken?: string;
}

export interface GuestRequest {
  method: string;
  target: string; // path with query
  headers: [string, Uint8Array][];
  body: Uint8Array;
}

export interface GuestResponse {
  status: number;
  headers: [string, Uint8Array][];
  body: Buffer;
}

export interface AddedTenant {
  tenant: Tenant;
  compileCached: boolean;
  /** compile (when it compiled), instantiate, first-call: in-process, in ms. */
  phases: PhaseTiming[];
  firstStatus: number;
}

const imports = wasiImports();

export async function createTenant(id: string, modulePath: string, firstPath: string): Promise<AddedTenant> {
  const { component, compileMs, cached } = await loadComponent(modulePath);
  const memories: WebAssembly.Memory[] = [];
  const started = performance.now();
  const exports = await component.instantiate(
    (name) => {
      const module = component.modules.get(name);
      if (!module) throw new Error(`core module ${name} is missing next to ${modulePath}`);
      return module;
    },
    imports,
    // Synchronous: the modules are compiled already, and an async WebAssembly.instantiate only adds
    // promise hops (hello-c: 0.75 -> 0.65 ms per tenant; hello: no difference; memory: none resolved).
    (module, moduleImports) => {
      const instance = new WebAssembly.Instance(module, moduleImports);
      for (const value of Object.values(instance.exports)) {
        if (value instanceof WebAssembly.Memory) memories.push(value);
      }
      return instance;
    },
  );
  const instantiateMs = performance.now() - started;
  const handler = (exports.incomingHandler ?? exports['wasi:http/incoming-handler@0.2.12']) as IncomingHandler | undefined;
  if (!handler?.handle) throw new Error(`${modulePath} does not export wasi:http/incoming-handler`);
  const tenant: Tenant = { id, handler, memories };

  const firstStarted = performance.now();
  const first = invokeTenant(tenant, { method: 'GET', target: firstPath, headers: [], body: new Uint8Array(0) });
  const firstCallMs = performance.now() - firstStarted;
    const phases: PhaseTiming[] = [
    ...(cached ? [] : [{ phase: 'compile', ms: compileMs }]),
    { phase: 'instantiate', ms: instantiateMs },
    { phase: 'first-call', ms: firstCallMs },
  ];
  return { tenant, compileCached: cached, phases, firstStatus: first.status };
}

/** Runs one request through the guest. A trap marks the tenant broken; it answers 500 from then on. */
export function invokeTenant(tenant: Tenant, request: GuestRequest): GuestResponse {
  if (tenant.broken) return textResponse(500, `tenant ${tenant.id} is broken: ${tenant.broken}\n`);
  const incoming = new IncomingRequest(toMethod(request.method), request.target, request.headers, request.body);
  const outparam = new ResponseOutparam();
  try {
    tenant.handler.handle(incoming, outparam);
  } catch (error) {
    tenant.broken = (error as Error).message ?? String(error);
    return textResponse(500, `tenant ${tenant.id} trapped: ${tenant.broken}\n`);
  }
  const result = outparam.result;
  if (!result || result.tag !== 'ok') return textResponse(500, `tenant ${tenant.id} did not set a response\n`);
  const response = result.val;
  return {
    status: response.status,
    headers: response.fields.entries(),
    body: Buffer.concat(response.outgoingBody?.chunks ?? []),
  };
}

export function linearMemoryBytes(tenant: Tenant): number {
  return tenant.memories.reduce((sum, memory) => sum + memory.buffer.byteLength, 0);
}

function textResponse(status: number, text: string): GuestResponse {
  return { status, headers: [['content-type', new TextEncoder().encode('text/plain')]], body: Buffer.from(text) };
}
