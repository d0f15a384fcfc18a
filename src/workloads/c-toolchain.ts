// Compiling C workloads: a static native binary with the C HTTP front (for processes and FROM
// scratch images), and a wasm32-wasi core module with the hand-written wasi:http bindings.
// Debian's clang, lld, wasi-libc and libclang-rt-14-dev-wasm32 provide the Wasm side.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ADAPTERS_DIR } from '../paths.js';
import type { Workload } from './catalog.js';

const run = promisify(execFile);
export const C_ADAPTERS_DIR = join(ADAPTERS_DIR, 'c');
export const C_TOOLCHAIN_FIX = 'run `bash scripts/setup.sh` (installs clang lld wasi-libc libclang-rt-14-dev-wasm32)';

/** The sources every C workload shares, by target. */
export const C_SHARED = {
  native: [join(C_ADAPTERS_DIR, 'handler.h'), join(C_ADAPTERS_DIR, 'http-server.c')],
  wasm: [join(C_ADAPTERS_DIR, 'handler.h'), join(C_ADAPTERS_DIR, 'wasi-http.c')],
};

export async function compilerVersion(compiler: string): Promise<string> {
  try {
    const { stdout } = await run(compiler, ['--version']);
    return stdout.split('\n')[0]!.trim();
  } catch {
    throw new Error(`${compiler} is not installed; ${C_TOOLCHAIN_FIX}`);
  }
}

export async function compile(compiler: string, args: string[]): Promise<void> {
  try {
    await run(compiler, args);
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim().split('\n').slice(0, 5).join(' | ');
    throw new Error(`${compiler} failed: ${stderr || (error as Error).message}`);
  }
}

/** The C compiler for static binaries of an architecture: the host's cc, or Debian's cross compiler. */
export function nativeCompiler(arch: string, host: boolean): string {
  return host ? 'cc' : arch === 'arm64' ? 'aarch64-linux-gnu-gcc' : `${arch}-linux-gnu-gcc`;
}

export async function compileNative(workload: Workload, output: string, compiler = 'cc'): Promise<void> {
  await compileStatic([join(workload.dir, workload.handler), join(C_ADAPTERS_DIR, 'http-server.c')], [C_ADAPTERS_DIR], output, compiler);
}

/** A static, stripped native program from C sources. */
export async function compileStatic(sources: string[], includes: string[], output: string, compiler = 'cc'): Promise<void> {
  await compile(compiler, ['-O2', '-static', '-s', '-pthread', '-Wall', ...includes.flatMap((dir) => ['-I', dir]), '-o', output, ...sources]);
}

/** A reactor core module: no main, `_initialize` runs libc's constructors when instantiated. */
export async function compileWasmCore(workload: Workload, output: string): Promise<void> {
  await compileWasm([join(workload.dir, workload.handler), join(C_ADAPTERS_DIR, 'wasi-http.c')], [C_ADAPTERS_DIR], output);
}

/** A wasm32-wasi reactor core module from C sources. */
export async function compileWasm(sources: string[], includes: string[], output: string): Promise<void> {
  await compile('clang', [
    '--target=wasm32-wasi',
    '--sysroot=/usr',
    '-mexec-model=reactor',
    '-O2',
    '-Wall',
    '-Wl,--strip-debug',
    ...includes.flatMap((dir) => ['-I', dir]),
    '-o',
    output,
    ...sources,
  ]);
}
