// What building a C workload's component needs besides clang: the wasm-ld and the Wasm runtime
// library (libclang_rt.builtins-wasm32.a) of clang's own LLVM version, and wasi-libc. The version
// is read from `clang --version` (14 on Debian 12, 18 on Ubuntu 24.04), and clang itself says
// which linker and library file it will use, so nothing here assumes a version or a path.
import { execFile } from 'node:child_process';
import { access } from 'node:fs/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const WASI_LIBC = '/usr/lib/wasm32-wasi/libc.a';

export interface MissingPiece {
  what: string;
  /** The Debian/Ubuntu package that provides it (the two name these alike). */
  pkg: string;
}

/** Pure: the LLVM major version in `clang --version`'s first line ("Debian clang version 14.0.6", "Ubuntu clang version 18.1.3 (1ubuntu1)"). */
export function llvmMajor(versionText: string): string | undefined {
  return /clang version (\d+)\./.exec(versionText)?.[1];
}

async function output(command: string, args: string[]): Promise<string | undefined> {
  return run(command, args).then(
    ({ stdout }) => stdout.trim(),
    () => undefined,
  );
}

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

/** The packages this machine lacks to build C components, by what each provides; empty when it has them all. */
export async function wasmCToolchainMissing(): Promise<MissingPiece[]> {
  const version = await output('clang', ['--version']);
  if (version === undefined) return [{ what: 'clang', pkg: 'clang' }];
  const llvm = llvmMajor(version) ?? '';
  const missing: MissingPiece[] = [];
  const linker = (await output('clang', ['--target=wasm32-wasi', '-print-prog-name=wasm-ld'])) ?? 'wasm-ld';
  const linkerFound = linker.startsWith('/') ? await exists(linker) : (await output('sh', ['-c', `command -v ${linker}`])) !== undefined;
  if (!linkerFound) missing.push({ what: `wasm-ld (LLVM ${llvm})`, pkg: `lld-${llvm}` });
  if (!(await exists(WASI_LIBC))) missing.push({ what: 'wasi-libc', pkg: 'wasi-libc' });
  const builtins = await output('clang', ['--target=wasm32-wasi', '--rtlib=compiler-rt', '-print-libgcc-file-name']);
  if (!builtins || !(await exists(builtins))) missing.push({ what: `libclang_rt.builtins-wasm32.a (LLVM ${llvm})`, pkg: `libclang-rt-${llvm}-dev-wasm32` });
  return missing;
}

/** The fix for the pieces missing: the set-up, or the exact apt-get line. */
export function wasmCToolchainFix(missing: MissingPiece[]): string {
  const packages = missing.length ? missing.map((p) => p.pkg) : ['clang', 'lld', 'wasi-libc', 'libclang-rt-<LLVM version>-dev-wasm32'];
  return `run \`bash scripts/setup.sh\` (or \`sudo apt-get install ${[...new Set(packages)].join(' ')}\`)`;
}
