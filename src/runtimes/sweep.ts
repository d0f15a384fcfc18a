// Finds and removes what coldbench runs left behind: containers labelled coldbench.run and
// processes carrying the run marker. `clean` removes them all; a new run removes those whose
// owning harness process is gone (a crashed or killed earlier run).
import { dockerClient, OWNER_LABEL, RUN_LABEL } from './docker-client.js';
import { findMarkedProcesses, isAlive } from './process-marker.js';

export interface SweepReport {
  containers: number;
  processes: number;
  dockerUnavailable: boolean;
}

export async function sweepLeftovers(scope: 'all' | 'orphans'): Promise<SweepReport> {
  const owned = (owner: number) => scope === 'orphans' && owner !== process.pid && isAlive(owner);
  return sweep((_runId, owner) => owner !== process.pid && !owned(owner));
}

/** Everything one run started: what its reaper removes once the run's harness is gone. */
export function sweepRun(runId: string): Promise<SweepReport> {
  return sweep((run) => run === runId, runId);
}

async function sweep(remove: (runId: string, ownerPid: number) => boolean, onlyRun?: string): Promise<SweepReport> {
  const report: SweepReport = { containers: 0, processes: 0, dockerUnavailable: false };
  for (const marked of await findMarkedProcesses()) {
    if (!remove(marked.runId, marked.ownerPid)) continue;
    try {
      process.kill(marked.pid, 'SIGKILL');
      report.processes++;
    } catch {
      // already gone
    }
  }

  let containers: { Id: string; Labels: Record<string, string> }[];
  const docker = await dockerClient();
  try {
    containers = await docker.listContainers({ all: true, filters: { label: [onlyRun ? `${RUN_LABEL}=${onlyRun}` : RUN_LABEL] } });
  } catch {
    report.dockerUnavailable = true;
    return report;
  }
  for (const info of containers) {
    if (!remove(info.Labels[RUN_LABEL] ?? '', Number(info.Labels[OWNER_LABEL]))) continue;
    await docker
      .getContainer(info.Id)
      .remove({ force: true })
      .catch(() => undefined);
    report.containers++;
  }
  return report;
}
