// Compiling C workloads: a static native binary with the C HTTP front (for processes and FROM
// scratch images), and a wasm32-wasi core module with the hand-written wasi:http bindings.
// clang with the lld, wasi-libc and Wasm runtime library of its LLVM version provide the Wasm side
// (wasm-c-toolchain.ts finds which of them are missing).
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ADAPTERS_DIR } from '../paths.js';
import type { Workload } from './catalog.js';
import { wasmCToolchainFix, wasmCToolchainMissing } from './wasm-c-toolchain.js';

const run = promisify(execFile);
export const C_ADAPTERS_DIR = join(ADAPTERS_DIR, 'c');
export const C_TOOLCHAIN_FIX =
  'run `bash scripts/setup.sh` (installs clang, and the lld, wasi-libc and libclang-rt-<LLVM version>-dev-wasm32 that match it; `coldbench doctor` names them)';

/** The sources every C workload shares, by target. */
const C_HEADERS = [join(C_ADAPTERS_DIR, 'handler.h'), join(C_ADAPTERS_DIR, 'put.h')];
export const C_SHARED = {
  native: [...C_HEADERS, join(C_ADAPTERS_DIR, 'http-server.c')],
  wasm: [...C_HEADERS, join(C_ADAPTERS_DIR, 'wasi-http.c')],
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

/** A wasm32-wasi reactor core module from C sources (a C workload's, or a pipeline's C stage). */
export async function compileWasm(sources: string[], includes: string[], output: string): Promise<void> {
  await compile('clang', wasmCoreArgs(sources, includes, output)).catch(async (error: Error) => {
    // A missing piece of the toolchain shows as a link error: name the package instead.
    const missing = await wasmCToolchainMissing();
    if (!missing.length) throw error;
    throw new Error(`${error.message}; missing ${missing.map((p) => p.what).join(', ')}: ${wasmCToolchainFix(missing)}`);
  });
}

function wasmCoreArgs(sources: string[], includes: string[], output: string): string[] {
  return [
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
  ];
}
