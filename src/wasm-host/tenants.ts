// Tenants: independent instances of a component in this one process. Each has its own linear
// memories and state; requests reach it through the wasi:http incoming-handler export.
// A guest call that traps or runs past its deadline answers 500 and counts as a fault; the
// tenant's instance is then replaced by a fresh one from the compiled modules (its state after a
// trap cannot be trusted), before its next request.
import { performance } from 'node:perf_hooks';
import type { PhaseTiming } from '../runtimes/types.js';
import { type LoadedComponent, loadComponent } from './components.js';
import { DeadlineExceeded, withDeadline } from './deadline.js';
import { DEFAULT_REQUEST_TIMEOUT_MS } from './protocol.js';
import { IncomingRequest, ResponseOutparam, toMethod } from './wasi-http.js';
import { wasiImports } from './wasi-imports.js';

interface IncomingHandler {
  handle(request: IncomingRequest, responseOut: ResponseOutparam): void;
}

interface Instance {
  handler: IncomingHandler;
  memories: WebAssembly.Memory[];
}

export interface Tenant {
  id: string;
  component: LoadedComponent;
  glue: string;
  deadlineMs: number;
  /** Undefined after a fault: the next request instantiates afresh. */
  instance?: Instance;
  /** The last instance's memories, for stats while there is no instance. */
  memories: WebAssembly.Memory[];
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

/** Requests that trapped or ran past their deadline, in every tenant since the host started. */
export let faults = 0;

/** `onCore` is told how long each core module's `new WebAssembly.Instance` took (the reference's bare figure). */
export function instantiate(component: LoadedComponent, glue: string, onCore?: (ms: number) => void): Instance {
  const memories: WebAssembly.Memory[] = [];
  const exports = component.instantiate(
    (name) => {
      const module = component.modules.get(name);
      if (!module) throw new Error(`core module ${name} is missing next to ${glue}`);
      return module;
    },
    imports,
    // Synchronous: the modules are compiled already, and an async WebAssembly.instantiate only adds
    // promise hops (hello-c: 0.75 -> 0.65 ms per tenant; hello: no difference; memory: none resolved).
    // With it the glue's instantiate returns the exports themselves, so a tenant can be replaced
    // inside a request.
    (module, moduleImports) => {
      const started = onCore ? performance.now() : 0;
      const instance = new WebAssembly.Instance(module, moduleImports);
      onCore?.(performance.now() - started);
      for (const value of Object.values(instance.exports)) {
        if (value instanceof WebAssembly.Memory) memories.push(value);
      }
      return instance;
    },
  );
  if (exports instanceof Promise) throw new Error(`${glue} instantiated asynchronously (transpile with jco --instantiation async)`);
  const handler = (exports.incomingHandler ?? exports['wasi:http/incoming-handler@0.2.12']) as IncomingHandler | undefined;
  if (!handler?.handle) throw new Error(`${glue} does not export wasi:http/incoming-handler`);
  return { handler, memories };
}

export async function createTenant(id: string, glue: string, firstPath: string, deadlineMs = DEFAULT_REQUEST_TIMEOUT_MS): Promise<AddedTenant> {
  const { component, compileMs, cached } = await loadComponent(glue);
  const started = performance.now();
  const instance = instantiate(component, glue);
  const instantiateMs = performance.now() - started;
  const tenant: Tenant = { id, component, glue, deadlineMs, instance, memories: instance.memories };

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

/** Runs one request through the guest, within the tenant's deadline. */
export function invokeTenant(tenant: Tenant, request: GuestRequest): GuestResponse {
  const incoming = new IncomingRequest(toMethod(request.method), request.target, request.headers, request.body);
  const outparam = new ResponseOutparam();
  try {
    withDeadline(tenant.deadlineMs, () => {
      tenant.instance ??= instantiate(tenant.component, tenant.glue);
      tenant.memories = tenant.instance.memories;
      tenant.instance.handler.handle(incoming, outparam);
    });
  } catch (error) {
    faults++;
    tenant.instance = undefined;
    if (error instanceof DeadlineExceeded) return textResponse(500, `tenant ${tenant.id}: deadline exceeded (${error.ms} ms)\n`);
    return textResponse(500, `tenant ${tenant.id}: trap: ${String((error as Error)?.message ?? error).split('\n')[0]}\n`);
  }
  const result = outparam.result;
  if (result?.tag !== 'ok') return textResponse(500, `tenant ${tenant.id} did not set a response\n`);
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
