// Finds and removes what coldbench runs left behind: containers labelled coldbench.run (on dockerd
// and on podman's service) and processes carrying the run marker. `clean` removes them all; a new run removes those whose
// owning harness process is gone (a crashed or killed earlier run).
import { existsSync } from 'node:fs';
import { CONTAINER_ENGINES, DOCKER_ENGINE } from './container-engines.js';
import { engineClient, OWNER_LABEL, RUN_LABEL } from './docker-client.js';
import { sweepNetworks } from './docker-networks.js';
import { findMarkedProcesses, isAlive } from './process-marker.js';

export interface SweepReport {
  containers: number;
  processes: number;
  dockerUnavailable: boolean;
  /** Engines other than docker that did not answer (podman's service when it is not started). */
  enginesUnavailable: string[];
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
  const report: SweepReport = { containers: 0, processes: 0, dockerUnavailable: false, enginesUnavailable: [] };
  for (const marked of await findMarkedProcesses()) {
    if (!remove(marked.runId, marked.ownerPid)) continue;
    try {
      process.kill(marked.pid, 'SIGKILL');
      report.processes++;
    } catch {
      // already gone
    }
  }

  for (const engine of CONTAINER_ENGINES) {
    let containers: { Id: string; Labels: Record<string, string> }[];
    const client = await engineClient(engine);
    try {
      containers = await client.listContainers({ all: true, filters: { label: [onlyRun ? `${RUN_LABEL}=${onlyRun}` : RUN_LABEL] } });
    } catch {
      if (engine === DOCKER_ENGINE) report.dockerUnavailable = true;
      // An engine never set up here (no socket) has nothing of ours to check.
      else if (existsSync(engine.socketPath())) report.enginesUnavailable.push(engine.title);
      continue;
    }
    for (const info of containers) {
      if (!remove(info.Labels[RUN_LABEL] ?? '', Number(info.Labels[OWNER_LABEL]))) continue;
      await client
        .getContainer(info.Id)
        .remove({ force: true })
        .catch(() => undefined);
      report.containers++;
    }
    await sweepNetworks(client, remove, onlyRun);
  }
  return report;
}
