// Which runtimes can run a workload where the runtime's own availability says nothing about it:
// a reason in one line when one cannot, so a run skips it and says why instead of failing.
import type { RuntimeDriver } from '../runtimes/types.js';
import type { Workload } from './catalog.js';

export function unsupportedReason(workload: Workload, driver: Pick<RuntimeDriver, 'name' | 'platform'>): string | undefined {
  // The process and container runtimes run Debian's python3 of this machine; no emulated one is set up.
  if (workload.language === 'python' && driver.platform?.emulated && ['process', 'docker', 'podman'].includes(driver.name))
    return `Python on ${driver.platform.name} needs that platform's python3, which scripts/setup-arm64.sh does not install`;
  return undefined;
}
