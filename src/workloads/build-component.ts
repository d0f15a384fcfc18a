// The Wasm component: a standard wasi:http/proxy@0.2.12 component made from the workload's
// handler (JS: componentize-js with the wasi:http adapter; C: clang to a wasm32-wasi core module
// with hand-written bindings, then `jco embed` + `jco new`; Python: componentize-py with the
// wasi:http adapter in _adapters/python), then transpiled by jco with
// `--instantiation async` so that one host process can instantiate it once per tenant.
import { copyFile, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { componentize } from '@bytecodealliance/componentize-js';
import { componentEmbed, componentNew, preview1AdapterReactorPath, transpile } from '@bytecodealliance/jco';
import { ADAPTERS_DIR } from '../paths.js';
import { buildAtomically, readMarker, type WasmComponent } from './artifacts.js';
import { compileWasmCore } from './c-toolchain.js';
import type { Workload } from './catalog.js';
import { componentDir, WASI_VERSION } from './component-dir.js';
import { fixedGlue } from './jco-glue.js';
import { componentizePy, PY_SHARED } from './python-toolchain.js';
import { writeWasiDeps } from './wasi-deps.js';

/** Builds in this process: componentize-js blocks its event loop (see build-in-child.ts). */
export async function buildComponent(workload: Workload): Promise<WasmComponent> {
  const { dir, hash } = await componentDir(workload);
  const cached = await readMarker<WasmComponent>(dir);
  if (cached) return cached;

  const started = performance.now();
  return buildAtomically(dir, async (work) => {
    // A pipeline is its stages' components linked into one (pipeline-component.ts), with the same world.
    const componentize = { js: componentizeJs, c: componentizeC, python: componentizePython };
    const component =
      workload.language === 'pipeline'
        ? await (await import('./pipeline-component.js')).composePipeline(workload, work, componentizeFailure)
        : await componentize[workload.language](workload, work, await writeWorld(join(work, 'wit')));
    await writeFile(join(work, 'component.wasm'), component);

    const { files } = await transpile(component, { name: 'component', instantiation: 'async', noTypescript: true, quiet: true });
    for (const [name, bytes] of Object.entries(files)) {
      await mkdir(dirname(join(work, 'transpiled', name)), { recursive: true });
      await writeFile(join(work, 'transpiled', name), name === 'component.js' ? fixedGlue(Buffer.from(bytes).toString('utf8')) : bytes);
    }
    const coreModules = (await readdir(join(work, 'transpiled'))).filter((f) => f.endsWith('.wasm'));
    let coreBytes = 0;
    for (const file of coreModules) coreBytes += (await stat(join(work, 'transpiled', file))).size;
    return {
      kind: 'component',
      hash,
      cached: false,
      buildMs: performance.now() - started,
      wasm: join(dir, 'component.wasm'),
      module: join(dir, 'transpiled', 'component.js'),
      sizes: { component: component.byteLength, 'core-modules': coreBytes, glue: (await stat(join(work, 'transpiled', 'component.js'))).size },
    } satisfies WasmComponent;
  });
}

async function componentizeJs(workload: Workload, dir: string, wit: string): Promise<Uint8Array> {
  const source = join(dir, 'source');
  await mkdir(source, { recursive: true });
  await copyFile(join(workload.dir, workload.handler), join(source, 'handler.js'));
  await copyFile(join(ADAPTERS_DIR, 'wasi-http.js'), join(source, 'component.js'));
  await copyFile(join(ADAPTERS_DIR, 'contract.js'), join(source, 'contract.js'));
  try {
    const { component } = await componentize({ sourcePath: join(source, 'component.js'), witPath: wit, worldName: 'workload' });
    return component;
  } catch (error) {
    throw new Error(`${workload.name}: componentize-js could not build the component: ${componentizeFailure(error, workload.handler)}`);
  }
}

// Lines of a componentize-js failure that only say where it happened (the wizer step runs the
// handler's top-level code at build time, so a JS exception there fails the build).
const WRAPPER_LINES = [/^Failed to initialize component\b/, /^Exception while evaluating top-level script$/, /^Stack:?$/];

// Known causes, with what to do about them: StarlingMonkey (SpiderMonkey without ICU) lacks some
// of what Node has, and a handler runs without Node's modules.
const KNOWN_CAUSES: { test: RegExp; explain: (match: RegExpExecArray, line: string) => string }[] = [
  {
    test: /invalid property name in regular expression/,
    explain: (_m, line) =>
      `${line.replace(/:$/, '')} (StarlingMonkey's regular expressions have no Unicode property escapes such as \\p{L}: use explicit character ranges)`,
  },
  {
    test: /Error loading module "([^"]+)"/,
    explain: (m) => `the handler imports "${m[1]}", which does not exist inside the component (handlers use only the language's built-ins, no Node modules)`,
  },
];

/** One line saying why componentize-js failed: the first line that names a cause, in terms of the workload's own files. */
export function componentizeFailure(error: unknown, handlerFile: string): string {
  const text = String((error as { message?: unknown } | undefined)?.message ?? error)
    .replace(/[^\s"'(]*source\/handler\.js/g, handlerFile)
    .replace(/[^\s"'(]*source\/component\.js/g, 'wasi-http.js');
  const lines = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !WRAPPER_LINES.some((wrapper) => wrapper.test(line)));
  for (const line of lines) {
    for (const known of KNOWN_CAUSES) {
      const match = known.test.exec(line);
      if (match) return known.explain(match, line);
    }
  }
  const first = lines[0] ?? 'no reason given';
  return (first.length > 300 ? `${first.slice(0, 297)}...` : first).replace(/:$/, '');
}

async function componentizePython(workload: Workload, dir: string, wit: string): Promise<Uint8Array> {
  const source = join(dir, 'source');
  await mkdir(source, { recursive: true });
  await copyFile(join(workload.dir, workload.handler), join(source, 'handler.py'));
  for (const file of PY_SHARED.wasm) await copyFile(file, join(source, basename(file)));
  await componentizePy(workload, source, wit, join(dir, 'python.wasm'));
  const component = new Uint8Array(await readFile(join(dir, 'python.wasm')));
  await rm(join(dir, 'python.wasm'));
  return component;
}

async function componentizeC(workload: Workload, dir: string, wit: string): Promise<Uint8Array> {
  const core = join(dir, 'core.wasm');
  await compileWasmCore(workload, core);
  const binary = new Uint8Array(await readFile(core));
  const embedded = await componentEmbed({ binary, witPath: wit, world: 'workload' });
  // A handler that uses libc's stdio imports WASI preview 1: the reactor adapter maps it to preview 2.
  const usesPreview1 = WebAssembly.Module.imports(new WebAssembly.Module(binary)).some((i) => i.module === 'wasi_snapshot_preview1');
  const adapters: [string, Uint8Array][] = usesPreview1 ? [['wasi_snapshot_preview1', new Uint8Array(await readFile(preview1AdapterReactorPath()))]] : [];
  return componentNew(embedded, adapters);
}

// The world a workload component targets: exactly wasi:http/proxy, with the WIT that jco bundles.
async function writeWorld(witDir: string): Promise<string> {
  await writeWasiDeps(witDir);
  await writeFile(join(witDir, 'world.wit'), `package coldbench:workload;\n\nworld workload {\n  include wasi:http/proxy@${WASI_VERSION};\n}\n`);
  return witDir;
}
