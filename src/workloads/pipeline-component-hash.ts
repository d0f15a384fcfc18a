// The cache key of a composed pipeline component: every stage source, and the versions of every
// tool that builds it (jco, componentize-js, clang, wac). Apart from the build so that a cached
// component is found without loading jco.
import type { Workload } from './catalog.js';
import { hashInputs } from './hash.js';
import { pipelineInputs } from './pipeline-sources.js';
import { wacVersion } from './wac-tool.js';

export async function pipelineComponentHash(workload: Workload, versions: Record<string, string>): Promise<string> {
  return hashInputs(await pipelineInputs(workload), { kind: 'component', composition: 'wac', wac: await wacVersion(), ...versions });
}
