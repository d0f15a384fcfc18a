// Components the host has loaded: for each transpiled glue module (jco --instantiation async),
// its `instantiate` function and its core modules, compiled once and shared by every tenant.
import { readdir } from 'node:fs/promises';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';

// The glue accepts a synchronous instantiateCore: its init generator then never waits, and
// `instantiate` returns the exports themselves instead of a Promise.
type CoreInstantiator = (module: WebAssembly.Module, imports: WebAssembly.Imports) => WebAssembly.Instance | Promise<WebAssembly.Instance>;
type Instantiate = (
  getCoreModule: (name: string) => WebAssembly.Module,
  imports: Record<string, unknown>,
  instantiateCore: CoreInstantiator,
) => Record<string, unknown> | Promise<Record<string, unknown>>;

export interface LoadedComponent {
  instantiate: Instantiate;
  modules: Map<string, WebAssembly.Module>;
}

const loaded = new Map<string, LoadedComponent>();

/** Returns the component and how long loading and compiling took (0 when it was cached). */
export async function loadComponent(modulePath: string): Promise<{ component: LoadedComponent; compileMs: number; cached: boolean }> {
  const known = loaded.get(modulePath);
  if (known) return { component: known, compileMs: 0, cached: true };
  const started = performance.now();
  const glue = (await import(pathToFileURL(modulePath).href)) as { instantiate?: Instantiate };
  if (typeof glue.instantiate !== 'function') {
    throw new Error(`${modulePath} has no instantiate export (transpile with jco --instantiation async)`);
  }
  const dir = dirname(modulePath);
  const modules = new Map<string, WebAssembly.Module>();
  for (const file of (await readdir(dir)).filter((f) => f.endsWith('.wasm'))) {
    modules.set(file, await WebAssembly.compile(await readFile(join(dir, file))));
  }
  const component = { instantiate: glue.instantiate, modules };
  loaded.set(modulePath, component);
  return { component, compileMs: performance.now() - started, cached: false };
}
