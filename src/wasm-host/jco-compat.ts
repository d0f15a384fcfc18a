// A work-around, in the Wasm host process only, for a cost of jco 1.35's generated glue that is
// neither the engine's nor the guest's (measured on Node 20.20, November 2026).
//
// The glue's instantiate runs `try { x = WebAssembly.promising(f) } catch { x = f }` once per
// realloc/post-return export (once for a C component, three times for a StarlingMonkey one). Node
// 20 has no JSPI, so every call throws a TypeError, and V8 builds the "... is not a function"
// message by re-parsing the enclosing function: the whole `_initGenerator` (6k lines for hello-c,
// 27k for a StarlingMonkey component), on every tenant. That was 80-85% of a tenant's instantiate
// (through the host: hello-c 6.9 -> 0.75 ms, hello 60 -> 10.4 ms). An identity `promising` gives
// the glue exactly the value its catch takes, without the throw. Where the engine has JSPI
// (WebAssembly.promising exists), nothing changes.
let installed = false;

export function installJcoCompat(): void {
  if (installed) return;
  installed = true;
  const wasm = WebAssembly as unknown as { promising?: unknown };
  if (typeof wasm.promising !== 'function') {
    Object.defineProperty(WebAssembly, 'promising', {
      value: <F>(exported: F): F => exported,
      writable: true,
      configurable: true,
      enumerable: false,
    });
  }
}
