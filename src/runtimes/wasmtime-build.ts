// Where scripts/build-wasmtime.sh puts the two wasmtime runtimes (a cache outside the clone), and
// whether they are built and current. Shared by the wasmtime and wasmtime-serve runtimes.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { access, readdir, readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../paths.js';
import type { Availability } from './types.js';

const HOST_SOURCES = join(PROJECT_ROOT, 'hosts', 'wasmtime');

/** The wasmtime version pinned in hosts/wasmtime/Cargo.toml (`wasmtime = { version = "=X.Y.Z", … }`), the one place it is. */
export function pinnedWasmtimeVersion(cargoToml: string): string {
  const version = /^wasmtime = (?:\{ version = )?"=(\d+\.\d+\.\d+)"/m.exec(cargoToml)?.[1];
  if (!version) throw new Error('hosts/wasmtime/Cargo.toml: expected a line wasmtime = { version = "=X.Y.Z", … } (the pinned wasmtime version)');
  return version;
}

export const WASMTIME_VERSION = pinnedWasmtimeVersion(readFileSync(join(HOST_SOURCES, 'Cargo.toml'), 'utf8'));
export const CACHE_DIR = process.env.COLDBENCH_CACHE ?? join(homedir(), '.cache', 'coldbench');
export const WASMTIME_HOST_BIN = join(CACHE_DIR, 'bin', 'coldbench-wasmtime-host');
export const WASMTIME_CLI_BIN = join(CACHE_DIR, `wasmtime-cli-${WASMTIME_VERSION}`, 'bin', 'wasmtime');
/** Precompiled components (.cwasm), keyed by component hash, wasmtime version and CPU. */
export const PRECOMPILED_DIR = join(CACHE_DIR, 'precompiled');

const build = (what: 'host' | 'cli') => `run \`bash scripts/build-wasmtime.sh ${what}\` (cargo; several minutes the first time)`;

/** The stamp build-wasmtime.sh writes (sha256 of Cargo.toml, Cargo.lock and src/*.rs, concatenated), so a stale build is noticed. */
async function hostSourcesStamp(): Promise<string> {
  const hash = createHash('sha256');
  const sources = (await readdir(join(HOST_SOURCES, 'src'))).filter((f) => f.endsWith('.rs')).sort();
  const files = ['Cargo.toml', 'Cargo.lock', ...sources.map((f) => `src/${f}`)];
  for (const file of files) hash.update(await readFile(join(HOST_SOURCES, file)));
  return hash.digest('hex').slice(0, 16);
}

/** The versions of the wasmtime crates the host is built with, from its Cargo.lock. */
export async function hostCrateVersions(): Promise<string> {
  const lock = await readFile(join(HOST_SOURCES, 'Cargo.lock'), 'utf8').catch(() => '');
  const version = (name: string) => new RegExp(`name = "${name}"\\nversion = "([^"]+)"`).exec(lock)?.[1] ?? '?';
  return `wasmtime ${version('wasmtime')}, wasmtime-wasi ${version('wasmtime-wasi')}, wasmtime-wasi-http ${version('wasmtime-wasi-http')}`;
}

export async function wasmtimeHostAvailable(): Promise<Availability> {
  if (
    !(await access(WASMTIME_HOST_BIN).then(
      () => true,
      () => false,
    ))
  ) {
    return { available: false, reason: `the coldbench wasmtime host is not built (${WASMTIME_HOST_BIN} is missing)`, fix: build('host') };
  }
  const stamp = (await readFile(`${WASMTIME_HOST_BIN}.stamp`, 'utf8').catch(() => '')).trim();
  if (stamp !== (await hostSourcesStamp())) {
    return { available: false, reason: 'the coldbench wasmtime host was built from other sources than hosts/wasmtime/ holds now', fix: build('host') };
  }
  return { available: true, version: `coldbench wasmtime host (${await hostCrateVersions()})` };
}

export async function wasmtimeCliAvailable(): Promise<Availability> {
  if (
    !(await access(WASMTIME_CLI_BIN).then(
      () => true,
      () => false,
    ))
  ) {
    return { available: false, reason: `wasmtime-cli ${WASMTIME_VERSION} is not built (${WASMTIME_CLI_BIN} is missing)`, fix: build('cli') };
  }
  return { available: true, version: `wasmtime-cli ${WASMTIME_VERSION} (wasmtime serve)` };
}

/** The coldbench wasmtime host's command line: instance model and per-tenant limits, then `extra` (pool and runtime settings). */
export function wasmtimeHostArgv(model: string, requestTimeoutMs: number, maxMemoryMiB?: number, extra: string[] = []): string[] {
  const memory = maxMemoryMiB === undefined ? [] : ['--max-memory-mib', String(maxMemoryMiB)];
  return [WASMTIME_HOST_BIN, '--cache-dir', PRECOMPILED_DIR, '--instance-model', model, '--request-timeout-ms', String(requestTimeoutMs), ...memory, ...extra];
}
