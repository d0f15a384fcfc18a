// Components the host has loaded: for each transpiled glue module (jco --instantiation async),
// its `instantiate` function and its core modules, compiled once (with their memories capped,
// memory-cap.ts) and shared by every tenant.
// Components come only from the artifact directory the host was started with, named by sha256.
import { access, readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { capModuleMemories } from './memory-cap.js';
import { COMPONENT_SHA256 } from './protocol.js';

// The glue accepts a synchronous instantiateCore: its init generator then never waits, and
// `instantiate` returns the exports themselves instead of a Promise.
type CoreInstantiator = (module: WebAssembly.Module, imports: WebAssembly.Imports) => WebAssembly.Instance | Promise<WebAssembly.Instance>;
export type Instantiate = (
  getCoreModule: (name: string) => WebAssembly.Module,
  imports: Record<string, unknown>,
  instantiateCore: CoreInstantiator,
) => Record<string, unknown> | Promise<Record<string, unknown>>;

export interface LoadedComponent {
  instantiate: Instantiate;
  modules: Map<string, WebAssembly.Module>;
}

/** The glue module's `instantiate` (a worker thread imports it itself; modules come compiled). */
export async function importGlue(modulePath: string): Promise<Instantiate> {
  const glue = (await import(pathToFileURL(modulePath).href)) as { instantiate?: Instantiate };
  if (typeof glue.instantiate !== 'function') {
    throw new Error(`${modulePath} has no instantiate export (transpile with jco --instantiation async)`);
  }
  return glue.instantiate;
}

const loaded = new Map<string, LoadedComponent>();

/** A request's component name that is not a sha256, or one the artifact directory does not hold. */
export class UnknownComponent extends Error {
  constructor(
    message: string,
    readonly malformed: boolean,
  ) {
    super(message);
  }
}

/** The glue module of component `sha256` under `artifactsDir` (protocol.ts describes the layout). */
export async function componentGlue(artifactsDir: string, sha256: string): Promise<string> {
  if (!COMPONENT_SHA256.test(sha256)) throw new UnknownComponent('component: expected the sha256 of a component.wasm (64 lowercase hex digits)', true);
  const glue = join(artifactsDir, sha256, 'transpiled', 'component.js');
  if (
    !(await access(glue).then(
      () => true,
      () => false,
    ))
  )
    throw new UnknownComponent(`no component ${sha256} in the artifact directory`, false);
  return glue;
}

/**
 * Returns the component and how long loading and compiling took (0 when it was cached). Its
 * memories' maximum is `maxMemoryBytes` plus a page: the host has one cap for every tenant.
 */
export async function loadComponent(modulePath: string, maxMemoryBytes: number): Promise<{ component: LoadedComponent; compileMs: number; cached: boolean }> {
  const known = loaded.get(modulePath);
  if (known) return { component: known, compileMs: 0, cached: true };
  const started = performance.now();
  const instantiate = await importGlue(modulePath);
  const dir = dirname(modulePath);
  const modules = new Map<string, WebAssembly.Module>();
  for (const file of (await readdir(dir)).filter((f) => f.endsWith('.wasm'))) {
    modules.set(file, await WebAssembly.compile(capModuleMemories(await readFile(join(dir, file)), maxMemoryBytes)));
  }
  const component = { instantiate, modules };
  loaded.set(modulePath, component);
  return { component, compileMs: performance.now() - started, cached: false };
}
