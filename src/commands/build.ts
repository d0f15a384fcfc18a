// `coldbench build [workload...]`: builds every artifact the given runtimes need, reusing the cache.
import { RUNTIME_NAMES, type RuntimeName, DEFAULT_RUNTIME_SETTINGS } from '../scenario/schema.js';
import { UserError } from '../errors.js';
import { listWorkloads, loadWorkload } from '../workloads/catalog.js';
import { buildWorkload } from '../workloads/build.js';
import { availableDrivers } from '../runtimes/index.js';

export async function buildCommand(names: string[], runtimesOption?: string): Promise<number> {
  const known = await listWorkloads();
  const workloads = names.length ? names : known;
  for (const name of workloads) {
    if (!known.includes(name)) throw new UserError(`unknown workload "${name}", expected one of: ${known.join(', ')}`);
  }
  const runtimes = (runtimesOption ? runtimesOption.split(',') : [...RUNTIME_NAMES]) as RuntimeName[];
  for (const runtime of runtimes) {
    if (!(RUNTIME_NAMES as readonly string[]).includes(runtime)) {
      throw new UserError(`--runtimes: unknown runtime "${runtime}", expected one of: ${RUNTIME_NAMES.join(', ')}`);
    }
  }
  const { drivers } = await availableDrivers(runtimes, { runId: 'build' }, DEFAULT_RUNTIME_SETTINGS, console.log);
  const buildable = drivers.map((d) => d.name);
  for (const name of workloads) {
    await buildWorkload(await loadWorkload(name), buildable, { log: (line) => console.log(line) });
  }
  return 0;
}
