// Python workloads: Debian's python3 runs the handler behind the standard-library HTTP front
// (processes, and FROM scratch images holding python3 and its libraries), and componentize-py,
// pinned and installed by scripts/install-componentize-py.sh into a venv in the cache outside the
// clone, builds the wasi:http/proxy component.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { copyFile, readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import { UserError } from '../errors.js';
import { ADAPTERS_DIR, PROJECT_ROOT } from '../paths.js';
import { CACHE_DIR } from '../runtimes/wasmtime-build.js';
import type { Workload } from './catalog.js';

const run = promisify(execFile);
export const PY_ADAPTERS_DIR = join(ADAPTERS_DIR, 'python');
/** Debian's, never a pyenv python3 that PATH may find first: images copy this one in. */
export const DEBIAN_PYTHON = '/usr/bin/python3';
export const PYTHON_TOOLCHAIN_FIX = 'run `bash scripts/install-componentize-py.sh` (or `bash scripts/setup.sh`)';

/** The pinned version: the one line `COMPONENTIZE_PY_VERSION=X.Y.Z` in the install script. */
export function pinnedComponentizePyVersion(script: string): string {
  const version = /^COMPONENTIZE_PY_VERSION=(\d+\.\d+\.\d+)$/m.exec(script)?.[1];
  if (!version) throw new Error('scripts/install-componentize-py.sh: expected a line COMPONENTIZE_PY_VERSION=X.Y.Z');
  return version;
}

export const COMPONENTIZE_PY_VERSION = pinnedComponentizePyVersion(readFileSync(join(PROJECT_ROOT, 'scripts', 'install-componentize-py.sh'), 'utf8'));
export const COMPONENTIZE_PY_BIN = join(CACHE_DIR, `componentize-py-${COMPONENTIZE_PY_VERSION}`, 'bin', 'componentize-py');

/** The adapter files a Python server app or component is made of, besides the handler. */
export const PY_SHARED = {
  native: [join(PY_ADAPTERS_DIR, 'contract.py'), join(PY_ADAPTERS_DIR, 'server.py')],
  wasm: [join(PY_ADAPTERS_DIR, 'contract.py'), join(PY_ADAPTERS_DIR, 'wasi_http.py')],
};

export async function pythonVersion(python = DEBIAN_PYTHON): Promise<string> {
  try {
    const { stdout } = await run(python, ['--version']);
    return stdout.trim();
  } catch {
    throw new UserError(`${python} is not installed (Python workloads run Debian's python3); ${PYTHON_TOOLCHAIN_FIX}`);
  }
}

/** Its version line; when it is not installed, one line saying what to run. */
export async function componentizePyVersion(bin = COMPONENTIZE_PY_BIN): Promise<string> {
  try {
    const { stdout } = await run(bin, ['--version']);
    return stdout.trim();
  } catch {
    throw new UserError(`componentize-py ${COMPONENTIZE_PY_VERSION} is not installed (${bin}); ${PYTHON_TOOLCHAIN_FIX}`);
  }
}

/** Builds the wasi:http/proxy component of a Python workload from a source folder holding handler.py and the adapter. */
export async function componentizePy(workload: Workload, source: string, witDir: string, output: string): Promise<void> {
  await componentizePyVersion();
  try {
    await run(COMPONENTIZE_PY_BIN, ['-q', '-d', witDir, '-w', 'workload', 'componentize', 'wasi_http', '-p', source, '-o', output], {
      maxBuffer: 16 << 20,
      env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' },
    });
  } catch (error) {
    const stderr = String((error as { stderr?: string }).stderr ?? (error as Error).message);
    throw new Error(`${workload.name}: componentize-py could not build the component: ${componentizePyFailure(stderr)}`);
  }
}

/** One line from componentize-py's output: the Python exception (the handler's import or syntax error) or its first error line. */
export function componentizePyFailure(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  const exception = lines.find((line) => /^[A-Za-z_.]*(Error|Exception):/.test(line) && !line.startsWith('AssertionError'));
  const line = exception ?? lines.find((l) => !l.startsWith('Traceback') && !l.startsWith('File ')) ?? 'no reason given';
  return line.length > 300 ? `${line.slice(0, 297)}...` : line;
}

/** The server app's files in `work` (handler, front, contract, and their bytecode); returns the file names, relative to it. */
export async function writePythonServerApp(workload: Workload, work: string): Promise<string[]> {
  await copyFile(join(workload.dir, workload.handler), join(work, 'handler.py'));
  for (const file of PY_SHARED.native) await copyFile(file, join(work, basename(file)));
  // Bytecode built in, checked by hash and never against the source's time: a copied file's time changes.
  await run(DEBIAN_PYTHON, ['-E', '-s', '-m', 'compileall', '-q', '--invalidation-mode', 'unchecked-hash', work]);
  const cached = (await readdir(join(work, '__pycache__'))).map((f) => `__pycache__/${f}`);
  return ['handler.py', 'contract.py', 'server.py', ...cached.sort()];
}

/** What the process runtime runs: the front in the app folder, on Debian's python3. */
export function pythonServerCommand(dir: string): string[] {
  return [DEBIAN_PYTHON, '-E', '-s', '-B', join(dir, 'server.py')];
}
