// What a Python workload's FROM scratch image holds besides the app: Debian's python3, its
// standard library (without what a server never imports: the embedding kit, tests, IDLE, Tk), and
// the shared libraries `ldd` lists for the interpreter and its extension modules. Each at the path
// it has on the host, so the interpreter finds its library as it does here.
import { execFile } from 'node:child_process';
import { readdir, realpath } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DEBIAN_PYTHON } from './python-toolchain.js';

const run = promisify(execFile);
const LEFT_OUT = /^(config-.*|test|idlelib|tkinter|turtledemo|lib2to3|pydoc_data|ensurepip|distutils|site-packages|dist-packages)$/;

/** The image's command: no PYTHON* variables, no user site, no bytecode written (the .pyc files are built in). */
export const PYTHON_FLAGS = ['-E', '-s', '-B'];

async function filesUnder(dir: string, top = true): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (top && LEFT_OUT.test(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await filesUnder(path, false)));
    else if (entry.isFile()) files.push(path);
  }
  return files;
}

async function libraries(binaries: string[]): Promise<string[]> {
  const found = new Set<string>();
  for (const binary of binaries) {
    const { stdout } = await run('ldd', [binary]).catch(() => ({ stdout: '' }));
    for (const m of stdout.matchAll(/(\/[^\s)]+)\s+\(0x/g)) found.add(m[1]!);
  }
  return [...found];
}

/** Host paths to place in the image at the same paths (placeFile copies what a symlink points to). */
export async function pythonImageFiles(): Promise<string[]> {
  const python = await realpath(DEBIAN_PYTHON);
  const { stdout } = await run(python, ['-E', '-s', '-c', 'import sys; print(sys.prefix + "/lib/python%d.%d" % sys.version_info[:2])']);
  const stdlib = await filesUnder(stdout.trim());
  const extensions = stdlib.filter((file) => file.endsWith('.so'));
  return [DEBIAN_PYTHON, ...stdlib, ...(await libraries([python, ...extensions]))]; // the interpreter goes in at /usr/bin/python3
}
