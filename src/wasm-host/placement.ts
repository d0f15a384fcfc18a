// What every way of placing the V8 host's tenants (isolation.ts) answers, so main.ts does not care
// which one runs, and the compile step they share.
import type { PhaseTiming } from '../runtimes/types.js';
import { loadComponent } from './components.js';
import type { GuestRequest, Invoked, TenantLimits } from './tenants.js';

export interface Placed {
  compileCached: boolean;
  /** compile (when it compiled), worker-start (when a worker was started for it), instantiate, first-call. */
  phases: PhaseTiming[];
  first: Invoked;
}

export interface Placement {
  /** Instantiates tenant `id` from the glue module `glue` and makes its first request. */
  add(id: string, glue: string, firstPath: string): Promise<Placed>;
  invoke(id: string, request: GuestRequest): Promise<Invoked>;
  remove(id: string): Promise<void>;
}

/** Compiles (once per component) with the host's memory cap; the compile phase when it compiled. */
export async function compiled(glue: string, limits: TenantLimits) {
  const loaded = await loadComponent(glue, limits.maxMemoryBytes);
  const phases: PhaseTiming[] = loaded.cached ? [] : [{ phase: 'compile', ms: loaded.compileMs }];
  return { ...loaded, phases };
}
