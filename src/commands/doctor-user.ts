// doctor's lines about who runs coldbench: the Rust toolchain of this user (only needed to build
// the wasmtime runtimes), and what a user who is not root cannot measure.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../paths.js';
import { wasmtimeCliAvailable, wasmtimeHostAvailable } from '../runtimes/wasmtime-build.js';

const run = promisify(execFile);

async function version(command: string): Promise<string | undefined> {
  return run(command, ['-V']).then(
    ({ stdout }) => stdout.trim(),
    () => undefined,
  );
}

/** The Rust version rust-toolchain.toml pins. */
export async function pinnedRust(): Promise<string> {
  const text = await readFile(join(PROJECT_ROOT, 'rust-toolchain.toml'), 'utf8').catch(() => '');
  return /^channel = "([\d.]+)"$/m.exec(text)?.[1] ?? '?';
}

export async function rustCheck(): Promise<{ ok: boolean; detail: string; fix: string }> {
  const pinned = await pinnedRust();
  const cargo = (await version('cargo')) ?? (await version(join(homedir(), '.cargo', 'bin', 'cargo')));
  if (cargo) return { ok: true, detail: `${cargo} (builds the wasmtime runtimes; rust-toolchain.toml pins ${pinned})`, fix: '' };
  const built = (await wasmtimeHostAvailable()).available && (await wasmtimeCliAvailable()).available;
  const fix = `install Rust ${pinned} for this user: \`curl --proto '=https' -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal --default-toolchain ${pinned}\`, then open a new shell`;
  if (built) return { ok: true, detail: 'not installed for this user; not needed while the wasmtime runtimes in the cache are current', fix: '' };
  return { ok: false, detail: `no cargo for this user (the wasmtime runtimes are built with it; rust-toolchain.toml pins ${pinned})`, fix };
}

/** What a user who is not root should know: memory readings of root's processes are skipped, with their reason. */
export async function nonRootNotes(): Promise<string[]> {
  if (process.getuid?.() === 0) return [];
  return [
    'not root: the PSS of root-owned processes (containerd shims, dockerd, docker-proxy, containers run as root) cannot be read;',
    "         density records those memory methods as skipped with this reason, and still reads the containers' cgroup memory",
  ];
}
