// The control protocol every Wasm host speaks (coldbench's V8 host in src/wasm-host/ and the Rust
// wasmtime host in hosts/wasmtime/), JSON over HTTP on 127.0.0.1:
//   the host prints `${READY_LINE} <port> <pid>` on stdout once it listens
//   POST   /_control/tenants        AddTenantRequest -> 201 AddTenantAnswer (400 bad body, 409 exists, 422 bad artifact)
//   DELETE /_control/tenants/<id>   -> 204, or 404
//   GET    /_control/stats          -> HostStats
//   GET    /_control/health         -> { ok: true, pid }
//   *      /t/<id>/<rest>           -> the tenant, with /<rest> as its request target
import type { PhaseTiming } from '../runtimes/types.js';

export const READY_LINE = 'coldbench-wasm-host ready';
export const CONTROL_TENANTS = '/_control/tenants';
export const CONTROL_STATS = '/_control/stats';
export const CONTROL_HEALTH = '/_control/health';
export const TENANT_ID = /^[A-Za-z0-9._-]{1,128}$/;

export interface AddTenantRequest {
  id: string;
  /** V8 host: the transpiled glue module (component.js); wasmtime host: component.wasm. */
  artifact: string;
  /** Requested once, in-process, right after instantiation (the first-call phase). */
  firstPath: string;
}

export interface AddTenantAnswer {
  id: string;
  /** True when no compile was needed (component in memory, or a precompiled artifact loaded). */
  compileCached: boolean;
  /** In-process timings in the order they happened: compile, load, instantiate-pre, instantiate, first-call. */
  phases: PhaseTiming[];
  firstStatus: number;
  linearMemoryBytes: number;
}

export interface HostStats {
  pid: number;
  tenants: number;
  linearMemoryBytes: number;
  /** Requests that trapped or ran past their deadline (hosts that count them). */
  faults?: number;
}

export function tenantPath(id: string): string {
  return `/t/${encodeURIComponent(id)}`;
}
