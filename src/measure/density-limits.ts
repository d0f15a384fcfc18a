// Which limit of the machine (or of a runtime) a failed density ramp ran into, told from the
// failure's message and the host's limits read when the ramp ended, and what can raise it.

import type { MachineLimit } from '../results/types.js';
import type { HostLimits } from '../sys/host.js';

/** Threads within this share of pid_max count as "out of pids" when a fork fails. */
const NEAR_FULL = 0.9;

export function whichLimit(error: string, limits: HostLimits | undefined): MachineLimit | undefined {
  const pidsNearlyFull =
    limits?.pidMax !== undefined && limits.threads !== undefined && limits.threads >= NEAR_FULL * Math.min(limits.pidMax, limits.threadsMax ?? Infinity);
  if (/\bE[MN]FILE\b|too many open files/i.test(error)) return 'open-files';
  if (/\bEAGAIN\b|resource temporarily unavailable|fork|clone|pthread_create|pids/i.test(error) && pidsNearlyFull) return 'pids';
  if (/\bENOMEM\b|cannot allocate memory|out of memory|oom/i.test(error)) return 'memory';
  if (/no free port|EADDRINUSE|address already in use/i.test(error)) return 'ports';
  if (/instance limit|pooling|pool (is )?(full|exhausted)/i.test(error)) return 'instance-pool';
  if (/docker|containerd|runc|\bshim\b|engine|daemon/i.test(error)) return pidsNearlyFull ? 'pids' : 'engine';
  return pidsNearlyFull ? 'pids' : undefined;
}

/** Words for a limit, with the host's value where it was read and how to raise it safely. */
export function describeLimit(limit: MachineLimit, limits: HostLimits | undefined): string {
  const n = (value: number | undefined) => (value === undefined ? '?' : value.toLocaleString('en-US'));
  switch (limit) {
    case 'pids':
      return `the kernel's pid limit (pid_max ${n(limits?.pidMax)}, ${n(limits?.threads)} threads running; raise with sysctl -w kernel.pid_max=4194304)`;
    case 'open-files':
      return `the harness's open-files limit (${n(limits?.openFilesLimit)}; raise with ulimit -n)`;
    case 'memory':
      return `memory (${n(limits?.memAvailableMiB)} MiB available)`;
    case 'ports':
      return `the harness's tenant ports (${n(limits?.tenantPorts)})`;
    case 'instance-pool':
      return "the runtime's instance pool";
    case 'engine':
      return 'the container engine';
  }
}
