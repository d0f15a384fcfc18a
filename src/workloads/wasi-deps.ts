// The wasi WIT packages jco bundles, copied as `deps/` of a WIT folder that a component build reads.
import { copyFile, mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { WASI_VERSION } from './component-dir.js';
import { packageDir } from './toolchain.js';

/** The wasi packages jco bundles, as `deps/` of a WIT folder. */
export async function writeWasiDeps(witDir: string): Promise<void> {
  const builtin = join(packageDir('@bytecodealliance/jco'), 'lib', 'wit', 'builtin', WASI_VERSION);
  for (const pkg of (await readdir(builtin)).filter((name) => name.startsWith('wasi-'))) {
    await mkdir(join(witDir, 'deps', pkg), { recursive: true });
    await copyFile(join(builtin, pkg, 'package.wit'), join(witDir, 'deps', pkg, 'package.wit'));
  }
}
