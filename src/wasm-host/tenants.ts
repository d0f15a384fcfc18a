// Tenants: independent instances of a component in one thread (the host's own, or a worker's:
// isolation.ts). Each has its own linear memories, state and guest output limit; requests reach it
// through the wasi:http incoming-handler export.
// A guest call that traps (at its memory cap, too: memory-cap.ts) or runs past its deadline answers
// 500 and is a fault; the tenant's instance is then replaced by a fresh one from the compiled
// modules (its state after a fault cannot be trusted), before its next request.
import { performance } from 'node:perf_hooks';
import type { PhaseTiming } from '../runtimes/types.js';
import type { LoadedComponent } from './components.js';
import { DeadlineExceeded } from './deadline.js';
import { GUEST_OUTPUT_DEFAULTS, GuestOutputLimit } from './guest-output.js';
import { against } from './memory-cap.js';
import { IncomingRequest, ResponseOutparam, toMethod } from './wasi-http.js';
import { wasiImports } from './wasi-imports.js';

interface IncomingHandler {
  handle(request: IncomingRequest, responseOut: ResponseOutparam): void;
}

interface Instance {
  handler: IncomingHandler;
  memories: WebAssembly.Memory[];
}

export interface TenantLimits {
  deadlineMs: number;
  maxMemoryBytes: number;
}

/** Runs a guest call within a deadline (deadline.ts's withDeadline on the host's thread; a worker's caller enforces it from outside). */
export type Guard = <T>(ms: number, call: () => T) => T;
export const unguarded: Guard = (_ms, call) => call();

export interface Tenant {
  id: string;
  component: LoadedComponent;
  glue: string;
  limits: TenantLimits;
  /** Its own imports: its stdout and stderr go through its own limit. */
  imports: Record<string, Record<string, unknown>>;
  output: GuestOutputLimit;
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
  body: Uint8Array;
}

export type FaultKind = 'trap' | 'deadline' | 'memory';

/** A guest call's answer, with what the host reports about the tenant after it. */
export interface Invoked {
  response: GuestResponse;
  fault?: FaultKind;
  linearMemoryBytes: number;
  outputDroppedBytes: number;
}

export interface AddedTenant {
  tenant: Tenant;
  /** instantiate, first-call: in-process, in ms. */
  phases: PhaseTiming[];
  /** Absent when no first request was asked for. */
  first?: Invoked;
}

/** `onCore` is told how long each core module's `new WebAssembly.Instance` took (the reference's bare figure). */
export function instantiate(
  component: LoadedComponent,
  glue: string,
  imports: Record<string, Record<string, unknown>> = defaultImports(),
  onCore?: (ms: number) => void,
): Instance {
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

let shared: Record<string, Record<string, unknown>> | undefined;
function defaultImports(): Record<string, Record<string, unknown>> {
  shared ??= wasiImports();
  return shared;
}

/** Instantiates a tenant and makes its first request, when `firstPath` is given (in this thread, through `guard`). */
export function createTenant(
  id: string,
  component: LoadedComponent,
  glue: string,
  firstPath: string | undefined,
  limits: TenantLimits,
  guard: Guard,
): AddedTenant {
  const output = new GuestOutputLimit({ ...GUEST_OUTPUT_DEFAULTS, tenant: id, sink: (bytes) => process.stderr.write(bytes) });
  const imports = wasiImports({ output });
  const started = performance.now();
  const instance = instantiate(component, glue, imports);
  const instantiateMs = performance.now() - started;
  if (against(instance.memories, limits.maxMemoryBytes) === 'over') {
    throw new Error(`its linear memory starts over the cap of ${limits.maxMemoryBytes / 1048576} MiB`);
  }
  const tenant: Tenant = { id, component, glue, limits, imports, output, instance, memories: instance.memories };

  const phases: PhaseTiming[] = [{ phase: 'instantiate', ms: instantiateMs }];
  if (firstPath === undefined) return { tenant, phases };
  const firstStarted = performance.now();
  const first = invokeTenant(tenant, { method: 'GET', target: firstPath, headers: [], body: new Uint8Array(0) }, guard);
  phases.push({ phase: 'first-call', ms: performance.now() - firstStarted });
  return { tenant, phases, first };
}

/** Runs one request through the guest, within the tenant's deadline and memory cap. */
export function invokeTenant(tenant: Tenant, request: GuestRequest, guard: Guard): Invoked {
  const incoming = new IncomingRequest(toMethod(request.method), request.target, request.headers, request.body);
  const outparam = new ResponseOutparam();
  const answer = (response: GuestResponse, fault?: FaultKind): Invoked => {
    if (fault) tenant.instance = undefined;
    return { response, fault, linearMemoryBytes: linearMemoryBytes(tenant), outputDroppedBytes: tenant.output.droppedBytes };
  };
  try {
    guard(tenant.limits.deadlineMs, () => {
      tenant.instance ??= instantiate(tenant.component, tenant.glue, tenant.imports);
      tenant.memories = tenant.instance.memories;
      tenant.instance.handler.handle(incoming, outparam);
    });
  } catch (error) {
    if (error instanceof DeadlineExceeded) return answer(deadlineResponse(tenant.id, error.ms), 'deadline');
    if (against(tenant.memories, tenant.limits.maxMemoryBytes) !== 'under') return answer(memoryCapResponse(tenant.id, tenant.limits.maxMemoryBytes), 'memory');
    return answer(textResponse(500, `tenant ${tenant.id}: trap: ${String((error as Error)?.message ?? error).split('\n')[0]}\n`), 'trap');
  }
  const result = outparam.result;
  if (result?.tag !== 'ok') return answer(textResponse(500, `tenant ${tenant.id} did not set a response\n`));
  const response = result.val;
  return answer({
    status: response.status,
    headers: response.fields.entries(),
    body: Buffer.concat(response.outgoingBody?.chunks ?? []),
  });
}

export function linearMemoryBytes(tenant: Tenant): number {
  return tenant.memories.reduce((sum, memory) => sum + memory.buffer.byteLength, 0);
}

export function textResponse(status: number, text: string): GuestResponse {
  return { status, headers: [['content-type', new TextEncoder().encode('text/plain')]], body: Buffer.from(text) };
}

export function deadlineResponse(id: string, ms: number): GuestResponse {
  return textResponse(500, `tenant ${id}: deadline exceeded (${ms} ms)\n`);
}

export function memoryCapResponse(id: string, capBytes: number): GuestResponse {
  return textResponse(500, `tenant ${id}: memory cap exceeded (${capBytes / 1048576} MiB)\n`);
}
