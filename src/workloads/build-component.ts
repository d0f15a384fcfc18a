// The Wasm component: the workload's handler behind the wasi:http adapter, built by
// componentize-js into a standard wasi:http/proxy@0.2.12 component, then transpiled by jco with
// `--instantiation async` so that one host process can instantiate it once per tenant.
import { copyFile, mkdir, readdir, writeFile, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { componentize } from '@bytecodealliance/componentize-js';
import { transpile } from '@bytecodealliance/jco';
import { ADAPTERS_DIR, ARTIFACTS_DIR } from '../paths.js';
import type { Workload } from './catalog.js';
import { hashInputs } from './hash.js';
import { readMarker, writeMarker, type WasmComponent } from './artifacts.js';
import { packageDir, toolVersions } from './toolchain.js';

export const WASI_VERSION = '0.2.12';

export async function buildComponent(workload: Workload): Promise<WasmComponent> {
  const handler = join(workload.dir, workload.handler);
  const adapter = join(ADAPTERS_DIR, 'wasi-http.js');
  const versions = await toolVersions();
  const hash = await hashInputs([handler, adapter], {
    kind: 'component', wasi: WASI_VERSION, jco: versions.jco, componentizeJs: versions.componentizeJs,
  });
  const dir = join(ARTIFACTS_DIR, workload.name, `component-${hash}`);
  const cached = await readMarker<WasmComponent>(dir);
  if (cached) return cached;

  const started = performance.now();
  await rm(dir, { recursive: true, force: true });
  const source = join(dir, 'source');
  await mkdir(source, { recursive: true });
  await copyFile(handler, join(source, 'handler.js'));
  await copyFile(adapter, join(source, 'component.js'));
  const wit = await writeWorld(join(dir, 'wit'));

  const { component } = await componentize({ sourcePath: join(source, 'component.js'), witPath: wit, worldName: 'workload' });
  const wasm = join(dir, 'component.wasm');
  await writeFile(wasm, component);

  const { files } = await transpile(component, { name: 'component', instantiation: 'async', noTypescript: true, quiet: true });
  const transpiled = join(dir, 'transpiled');
  for (const [name, bytes] of Object.entries(files)) {
    await mkdir(dirname(join(transpiled, name)), { recursive: true });
    await writeFile(join(transpiled, name), bytes);
  }
  const coreModules = (await readdir(transpiled)).filter((f) => f.endsWith('.wasm'));
  let coreBytes = 0;
  for (const file of coreModules) coreBytes += (await stat(join(transpiled, file))).size;

  const record: WasmComponent = {
    kind: 'component', hash, cached: false, buildMs: performance.now() - started,
    wasm, module: join(transpiled, 'component.js'),
    sizes: { component: component.byteLength, 'core-modules': coreBytes, glue: (await stat(join(transpiled, 'component.js'))).size },
  };
  await writeMarker(dir, record);
  return record;
}

// The world a workload component targets: exactly wasi:http/proxy, with the WIT that jco bundles.
async function writeWorld(witDir: string): Promise<string> {
  const builtin = join(packageDir('@bytecodealliance/jco'), 'lib', 'wit', 'builtin', WASI_VERSION);
  for (const pkg of (await readdir(builtin)).filter((name) => name.startsWith('wasi-'))) {
    await mkdir(join(witDir, 'deps', pkg), { recursive: true });
    await copyFile(join(builtin, pkg, 'package.wit'), join(witDir, 'deps', pkg, 'package.wit'));
  }
  await writeFile(
    join(witDir, 'world.wit'),
    `package coldbench:workload;\n\nworld workload {\n  include wasi:http/proxy@${WASI_VERSION};\n}\n`,
  );
  return witDir;
}
