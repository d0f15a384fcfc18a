// Where the project's files live, resolved from this file so the CLI works from any directory.

import { realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const WORKLOADS_DIR = join(PROJECT_ROOT, 'workloads');
export const ADAPTERS_DIR = join(WORKLOADS_DIR, '_adapters');
/** Its real path when it is a symlink (e.g. to a bigger disk): componentize-js refuses paths through one. */
export const STATE_DIR = realPathOr(join(PROJECT_ROOT, '.coldbench'));
export const ARTIFACTS_DIR = join(STATE_DIR, 'artifacts');
/** Built components by the sha256 of their component.wasm: the only place Wasm hosts load from. */
export const COMPONENTS_DIR = join(STATE_DIR, 'components');
export const WASM_HOST_MAIN = join(PROJECT_ROOT, 'dist', 'wasm-host', 'main.js');
export const NULL_SERVER_MAIN = join(PROJECT_ROOT, 'dist', 'measure', 'null-server.js');

function realPathOr(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path; // not made yet: made as a folder on first use
  }
}
