// Messages between the V8 host's thread and a tenant worker (tenant-workers.ts, tenant-worker.ts).
// One message is in flight per worker: the host sends the next once the last was answered.
import type { PhaseTiming } from '../runtimes/types.js';
import type { GuestRequest, Invoked, TenantLimits } from './tenants.js';

export type ToWorker =
  | {
      op: 'add';
      id: string;
      glue: string;
      /** The core modules, compiled by the host's thread (a WebAssembly.Module crosses threads without recompiling). */
      modules: [string, WebAssembly.Module][];
      limits: TenantLimits;
      /** Absent when a tenant is restored into a new worker: no first request then. */
      firstPath?: string;
    }
  | { op: 'invoke'; id: string; request: GuestRequest }
  | { op: 'remove'; id: string };

export type WorkerAnswer = { ok: true; phases?: PhaseTiming[]; invoked?: Invoked } | { ok: false; error: string };
export type FromWorker = { ready: true } | WorkerAnswer;
