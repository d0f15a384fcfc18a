// Where the V8 host runs its tenants (--isolation):
// - shared-thread: every tenant on the host's one thread. Cheapest; a tenant that loops holds every
//   other tenant until its deadline (deadline.ts stops it).
// - worker-per-tenant: each tenant in a worker thread of its own (tenant-workers.ts). A loop holds
//   only its own tenant: at its deadline the host terminates that worker and starts another.
// - worker-pool: the tenants spread over a fixed number of worker threads; a loop holds the tenants
//   that share its worker until its deadline, and no other.
// Each is a Placement (placement.ts).
import { withDeadline } from './deadline.js';
import { compiled, type Placement } from './placement.js';
import type { Isolation } from './protocol.js';
import { createTenant, invokeTenant, type Tenant, type TenantLimits } from './tenants.js';

export { ISOLATIONS, type Isolation } from './protocol.js';

export function sharedThread(limits: TenantLimits): Placement {
  const tenants = new Map<string, Tenant>();
  return {
    async add(id, glue, firstPath) {
      const { component, cached, phases } = await compiled(glue, limits);
      const added = createTenant(id, component, glue, firstPath, limits, withDeadline);
      tenants.set(id, added.tenant);
      return { compileCached: cached, phases: [...phases, ...added.phases], first: added.first! };
    },
    async invoke(id, request) {
      const tenant = tenants.get(id);
      if (!tenant) throw new Error(`no tenant ${id}`);
      return invokeTenant(tenant, request, withDeadline);
    },
    async remove(id) {
      tenants.delete(id);
    },
  };
}

/** The placement for an --isolation value; `poolWorkers` is the size of a worker-pool. */
export async function placement(isolation: Isolation, limits: TenantLimits, poolWorkers: number): Promise<Placement> {
  if (isolation === 'shared-thread') return sharedThread(limits);
  const { workerPlacement } = await import('./tenant-workers.js');
  return workerPlacement(isolation === 'worker-per-tenant' ? undefined : poolWorkers, limits);
}
