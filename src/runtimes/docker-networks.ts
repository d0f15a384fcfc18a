// User-defined bridge networks a run creates (stage services call each other by container name on
// one), labelled like its containers so that `coldbench clean` and the next run's sweep remove a
// network a crashed run left. The harness itself never addresses anything on them.
import type Docker from 'dockerode';
import { OWNER_LABEL, RUN_LABEL } from './docker-client.js';

export async function createRunNetwork(engine: Docker, name: string, runId: string): Promise<Docker.Network> {
  return engine.createNetwork({ Name: name, Driver: 'bridge', CheckDuplicate: true, Labels: { [RUN_LABEL]: runId, [OWNER_LABEL]: String(process.pid) } });
}

/** Removes the labelled networks `remove` picks (after their containers are gone); how many. */
export async function sweepNetworks(engine: Docker, remove: (runId: string, ownerPid: number) => boolean, onlyRun?: string): Promise<number> {
  const networks = await engine.listNetworks({ filters: { label: [onlyRun ? `${RUN_LABEL}=${onlyRun}` : RUN_LABEL] } }).catch(() => []);
  let removed = 0;
  for (const info of networks) {
    if (!remove(info.Labels?.[RUN_LABEL] ?? '', Number(info.Labels?.[OWNER_LABEL]))) continue;
    await engine
      .getNetwork(info.Id)
      .remove()
      .then(() => removed++)
      .catch(() => undefined);
  }
  return removed;
}
