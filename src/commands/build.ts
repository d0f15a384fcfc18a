// `coldbench build [workload...]`: builds every artifact the given runtimes need, reusing the cache.

import { randomBytes } from 'node:crypto';
import { UserError } from '../errors.js';
import { onShutdown, shutdownSignal } from '../lifecycle.js';
import { runtimeNames } from '../runtimes/registry.js';
import { artifactKinds, availableDrivers } from '../runtimes/select.js';
import { buildWorkload } from '../workloads/build.js';
import { listWorkloads, loadWorkload } from '../workloads/catalog.js';
import { parseRuntimeList } from './runtime-list.js';

export async function buildCommand(names: string[], runtimesOption?: string): Promise<number> {
  const known = await listWorkloads();
  const workloads = names.length ? names : known;
  for (const name of workloads) {
    if (!known.includes(name)) throw new UserError(`unknown workload "${name}", expected one of: ${known.join(', ')}`);
  }
  const runtimes = runtimesOption ? parseRuntimeList(runtimesOption, runtimeNames()) : runtimeNames();
  const { statuses } = await availableDrivers(runtimes, { runId: 'build' }, {}, console.log);
  const kinds = artifactKinds(statuses.filter((s) => s.available).map((s) => s.runtime));
  // Ctrl-C ends a component build at once (its process group), with this command.
  onShutdown(async () => undefined);
  const runId = `build-${randomBytes(3).toString('hex')}`;
  for (const name of workloads) {
    shutdownSignal.throwIfAborted();
    await buildWorkload(await loadWorkload(name), kinds, { log: (line) => console.log(line), signal: shutdownSignal, runId });
  }
  return 0;
}
