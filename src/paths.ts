// Where the project's files live, resolved from this file so the CLI works from any directory.

import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const WORKLOADS_DIR = join(PROJECT_ROOT, 'workloads');
export const ADAPTERS_DIR = join(WORKLOADS_DIR, '_adapters');
export const STATE_DIR = join(PROJECT_ROOT, '.coldbench');
export const ARTIFACTS_DIR = join(STATE_DIR, 'artifacts');
/** Built components by the sha256 of their component.wasm: the only place Wasm hosts load from. */
export const COMPONENTS_DIR = join(STATE_DIR, 'components');
export const WASM_HOST_MAIN = join(PROJECT_ROOT, 'dist', 'wasm-host', 'main.js');
export const NULL_SERVER_MAIN = join(PROJECT_ROOT, 'dist', 'measure', 'null-server.js');
