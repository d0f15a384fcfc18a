// Where a workload's component is built: a folder named by the hash of its inputs and tool
// versions. Kept apart from the build itself so that a cached component is found without loading jco.
import { join } from 'node:path';
import { ADAPTERS_DIR, ARTIFACTS_DIR } from '../paths.js';
import { C_SHARED, compilerVersion } from './c-toolchain.js';
import type { Workload } from './catalog.js';
import { hashInputs } from './hash.js';
import { JCO_GLUE_REVISION } from './jco-glue.js';
import { COMPONENTIZE_PY_VERSION, PY_SHARED } from './python-toolchain.js';
import { toolVersions } from './toolchain.js';

export const WASI_VERSION = '0.2.12';

export async function componentDir(workload: Workload): Promise<{ dir: string; hash: string }> {
  const handler = join(workload.dir, workload.handler);
  const js = workload.language === 'js';
  const py = workload.language === 'python';
  const versions = await toolVersions();
  if (workload.language === 'pipeline') {
    const { pipelineComponentHash } = await import('./pipeline-component-hash.js');
    const hash = await pipelineComponentHash(workload, { wasi: WASI_VERSION, ...versions, jcoGlue: JCO_GLUE_REVISION, clang: await compilerVersion('clang') });
    return { dir: join(ARTIFACTS_DIR, workload.name, `component-${hash}`), hash };
  }
  const sources = js
    ? [handler, join(ADAPTERS_DIR, 'wasi-http.js'), join(ADAPTERS_DIR, 'contract.js')]
    : py
      ? [handler, ...PY_SHARED.wasm]
      : [handler, ...C_SHARED.wasm];
  const hash = await hashInputs(sources, {
    kind: 'component',
    wasi: WASI_VERSION,
    jco: versions.jco,
    jcoGlue: JCO_GLUE_REVISION,
    ...(js ? { componentizeJs: versions.componentizeJs } : py ? { componentizePy: COMPONENTIZE_PY_VERSION } : { clang: await compilerVersion('clang') }),
  });
  return { dir: join(ARTIFACTS_DIR, workload.name, `component-${hash}`), hash };
}
