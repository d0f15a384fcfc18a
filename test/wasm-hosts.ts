// The Wasm host processes that speak src/wasm-host/protocol.ts, as tests start them directly.
import { v8HostArgv } from '../src/runtimes/wasm.js';
import { PRECOMPILED_DIR, WASMTIME_HOST_BIN } from '../src/runtimes/wasmtime-build.js';
import { runtimeAvailable } from './helpers.js';

export interface TestHost {
  name: string;
  /** Whether it is built here. */
  here: boolean;
  /** Serves other tenants while one runs (the V8 host has one thread: they wait for the deadline). */
  concurrent: boolean;
  argv(requestTimeoutMs: number): string[];
}

const wasmtimeHere = await runtimeAvailable('wasmtime');

export const testHosts: TestHost[] = [
  {
    name: 'V8 host',
    here: await runtimeAvailable('wasm'),
    concurrent: false,
    argv: v8HostArgv,
  },
  ...(['per-request', 'per-tenant'] as const).map((model) => ({
    name: `wasmtime host ${model}`,
    here: wasmtimeHere,
    concurrent: true,
    argv: (ms: number) => [WASMTIME_HOST_BIN, '--cache-dir', PRECOMPILED_DIR, '--instance-model', model, '--request-timeout-ms', String(ms)],
  })),
];
