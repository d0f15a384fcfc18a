// The server app: the workload's handler behind its language's HTTP front. The process runtime
// runs it directly and the container image wraps it. JS: node + the Node adapter; C: one static
// binary with the C HTTP front; Python: Debian's python3 + the Python adapter.
import { copyFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ADAPTERS_DIR, ARTIFACTS_DIR } from '../paths.js';
import { hostPlatform, type Platform } from '../runtimes/platform.js';
import { buildAtomically, readMarker, type ServerApp, serverAppRecord } from './artifacts.js';
import { C_SHARED, compileNative, compilerVersion, nativeCompiler } from './c-toolchain.js';
import type { Workload } from './catalog.js';
import { hashInputs } from './hash.js';
import { PY_SHARED, pythonServerCommand, pythonVersion, writePythonServerApp } from './python-toolchain.js';

/** On a foreign platform: its node runs the JS app, and C is cross-compiled for its architecture. */
export async function buildServerApp(workload: Workload, platform: Platform = hostPlatform()): Promise<ServerApp> {
  const handler = join(workload.dir, workload.handler);
  const js = workload.language === 'js';
  const py = workload.language === 'python';
  if (py && platform.emulated) throw new Error(`${workload.name}: Python on ${platform.name} needs that platform's python3, which the set-up does not install`);
  const sources = js
    ? [handler, join(ADAPTERS_DIR, 'node-server.js'), join(ADAPTERS_DIR, 'contract.js')]
    : py
      ? [handler, ...PY_SHARED.native]
      : [handler, ...C_SHARED.native];
  const compiler = nativeCompiler(platform.arch, !platform.emulated);
  const hash = await hashInputs(sources, {
    kind: 'server-app',
    compiler: js ? 'node' : py ? await pythonVersion() : await compilerVersion(compiler),
    ...(platform.emulated ? { platform: platform.name } : {}), // the host's keeps the hash it always had
  });
  const dir = join(ARTIFACTS_DIR, workload.name, `server-app-${hash}`);
  const cached = await readMarker<ServerApp>(dir);
  if (cached) return cached;

  const started = performance.now();
  return buildAtomically(dir, async (work) => {
    let files: string[];
    let command: string[];
    if (js) {
      await copyFile(handler, join(work, 'handler.js'));
      await copyFile(join(ADAPTERS_DIR, 'node-server.js'), join(work, 'server.js'));
      await copyFile(join(ADAPTERS_DIR, 'contract.js'), join(work, 'contract.js'));
      await writeFile(join(work, 'package.json'), '{ "type": "module" }\n');
      files = ['handler.js', 'server.js', 'contract.js', 'package.json'];
      command = [platform.node, join(dir, 'server.js')];
    } else if (py) {
      files = await writePythonServerApp(workload, work);
      command = pythonServerCommand(dir);
    } else {
      await compileNative(workload, join(work, 'server'), compiler);
      files = ['server'];
      command = [join(dir, 'server')];
    }
    return serverAppRecord({ language: workload.language, hash, dir, files, command, work, started, sizeKey: js || py ? 'app' : 'native-binary' });
  });
}
