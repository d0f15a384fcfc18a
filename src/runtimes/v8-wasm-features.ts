// Wasm features the V8 of Node 20 has but does not turn on, which components need: componentize-py's
// CPython uses extended constant expressions (`i32.add` in a global's initializer). V8 turns them
// on by default from 11.4 (Node 21), and a later Node may no longer accept the flag.
const NODE_MAJOR = Number(process.versions.node.split('.')[0]);

/** Node flags for a process that compiles workload components (the V8 host, micro's worker). */
export const V8_WASM_FLAGS: readonly string[] = NODE_MAJOR < 21 ? ['--experimental-wasm-extended-const'] : [];
