// The control protocol every Wasm host speaks (coldbench's V8 host in src/wasm-host/ and the Rust
// wasmtime host in hosts/wasmtime/), JSON over HTTP on 127.0.0.1.
//
// Start: `<host> --port <port> --artifacts <dir> ...`, with the control secret in the environment
// variable CONTROL_SECRET_ENV (never in argv, which any user can read in /proc). The host removes
// the variable from its own environment (so nothing it starts inherits it) and exits 2 with one line
// when it is missing. It prints `${READY_LINE} <port> <pid>` on stdout once it listens.
//
// Every /_control/ request carries `authorization: Bearer <secret>`; without it, or with another
// secret, the answer is 401 and nothing happens (hosts compare in constant time).
//   POST   /_control/tenants        AddTenantRequest -> 201 AddTenantAnswer (400 bad body, 409 exists,
//                                   422 unknown or unusable component)
//   DELETE /_control/tenants/<id>   -> 204, or 404
//   GET    /_control/stats          -> HostStats
//   GET    /_control/health         -> { ok: true, pid }
//   POST   /_control/reference      ReferenceRequest -> 200 ReferenceAnswer (400 bad body, 422 unknown
//                                   or unusable component): the host's own instantiation floor
//   *      /t/<id>/<rest>           -> the tenant, with /<rest> as its request target (no secret);
//                                   while the tenant is being added, it waits for the add to end
//
// Hosts load only components the harness built: a request names one by the sha256 of its
// component.wasm, never by path. `<artifacts>/<sha256>/` is the component's build directory
// (src/workloads/component-store.ts): the wasmtime host loads `component.wasm` from it (and checks
// its sha256), the V8 host jco's glue `transpiled/component.js` and the core modules beside it.
// A name that is not 64 lowercase hex digits is a 400; one the store does not hold, a 422.
import type { PhaseTiming, ReferenceSeries } from '../runtimes/types.js';

export const READY_LINE = 'coldbench-wasm-host ready';
export const CONTROL_TENANTS = '/_control/tenants';
export const CONTROL_STATS = '/_control/stats';
export const CONTROL_HEALTH = '/_control/health';
export const CONTROL_REFERENCE = '/_control/reference';
export const TENANT_ID = /^[A-Za-z0-9._-]{1,128}$/;
export const COMPONENT_SHA256 = /^[0-9a-f]{64}$/;
export const CONTROL_SECRET_ENV = 'COLDBENCH_CONTROL_SECRET';
/** How long one guest call may run when the host is not told otherwise (--request-timeout-ms). */
export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;
/** Cap on one tenant's linear memory when the host is not told otherwise (--max-memory-mib), on both hosts. */
export const DEFAULT_MAX_MEMORY_MIB = 128;
/** Where the V8 host runs its tenants (--isolation; src/wasm-host/isolation.ts). */
export const ISOLATIONS = ['shared-thread', 'worker-per-tenant', 'worker-pool'] as const;
export type Isolation = (typeof ISOLATIONS)[number];
/** The largest cap either host accepts (the wasmtime host's pool reserves this much per memory). */
export const LARGEST_MAX_MEMORY_MIB = 256;
export const CONTROL_AUTHORIZATION = 'authorization';

/** The value of the authorization header for a secret. */
export function bearer(secret: string): string {
  return `Bearer ${secret}`;
}

export interface AddTenantRequest {
  id: string;
  /** sha256 (64 lowercase hex digits) of the component.wasm, in the host's artifact directory. */
  component: string;
  /** Requested once, in-process, right after instantiation (the first-call phase). */
  firstPath: string;
  /** wasmtime host only: URL prefixes the tenant may call over wasi:http/outgoing-handler (scheme://host:port/path-prefix); none by default. */
  outgoing?: string[];
  /** wasmtime host only: the guest's environment variables; none by default. */
  env?: Record<string, string>;
}

export interface AddTenantAnswer {
  id: string;
  /** True when no compile was needed (component in memory, or a precompiled artifact loaded). */
  compileCached: boolean;
  /** In-process timings in the order they happened: compile, load, instantiate-pre, instantiate, first-call. */
  phases: PhaseTiming[];
  firstStatus: number;
  linearMemoryBytes: number;
  /**
   * CLOCK_MONOTONIC in ns as the host made the reply (both hosts): the prober reads the same clock,
   * so it times the first response from the reply even when it probed before reading it.
   */
  repliedAtNs?: number;
}

/**
 * Instantiate one component `iterations` times back to back from what the host keeps per tenant
 * (wasmtime: its ProxyPre; V8: the compiled core modules), then `gapIterations` times after
 * `gapMs` of idleness each (when gapMs > 0). No tenant is added.
 */
export interface ReferenceRequest {
  component: string;
  iterations: number;
  gapMs?: number;
  gapIterations?: number;
}

/**
 * The series, one figure per instantiation (ms), each named as the phase it is set beside:
 * - instantiate-bare: the runtime alone (wasmtime: instantiation into a store made beforehand;
 *   V8: the `new WebAssembly.Instance` calls of the component's core modules inside jco's path);
 * - instantiate-contexts: what an add times as `instantiate` (wasmtime: new store with the WASI
 *   and HTTP contexts, then instantiation; V8: jco's `instantiate` with the host's imports);
 * - instantiate-after-gap: instantiate-contexts after `gapMs` idle.
 */
export interface ReferenceAnswer {
  series: ReferenceSeries[];
}

/** What a host reports about one tenant that has something to report. */
export interface TenantTrouble {
  /** Its requests that trapped, ran past their deadline or passed its memory cap. */
  faults: number;
  /** Bytes of its stdout and stderr dropped by its output limit. */
  outputDroppedBytes: number;
  /** wasmtime host: its outgoing requests outside its grants, refused. */
  outgoingDenied?: number;
}

export interface HostStats {
  pid: number;
  tenants: number;
  linearMemoryBytes: number;
  /** Requests that trapped, ran past their deadline or passed their tenant's memory cap (hosts that count them), every tenant's since the host started. */
  faults?: number;
  /** Each tenant's cap on its linear memory. */
  maxMemoryBytes?: number;
  /** By tenant id, the tenants present with a fault, dropped output or a denied outgoing request (absent: none). */
  perTenant?: Record<string, TenantTrouble>;
  /**
   * The JS engine's heap on the host's own thread (the V8 host): in use now (garbage included), what
   * V8 holds for it, memory outside it that JS objects own, and in use after the last full
   * collection (what is live; absent before the first).
   */
  heap?: { usedBytes: number; totalBytes: number; externalBytes: number; liveBytes?: number };
}

export function tenantPath(id: string): string {
  return `/t/${encodeURIComponent(id)}`;
}
