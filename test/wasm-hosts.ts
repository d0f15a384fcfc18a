// The Wasm host processes that speak src/wasm-host/protocol.ts, as tests start them directly.
import { v8HostArgv } from '../src/runtimes/wasm.js';
import { wasmtimeHostArgv } from '../src/runtimes/wasmtime-build.js';
import { ISOLATIONS } from '../src/wasm-host/protocol.js';
import { runtimeAvailable } from './helpers.js';

export interface TestHost {
  name: string;
  /** Whether it is built here. */
  here: boolean;
  /** Serves other tenants while one runs (the V8 host's shared thread does not: they wait for the deadline). */
  concurrent: boolean;
  argv(requestTimeoutMs: number, maxMemoryMiB?: number): string[];
}

const wasmtimeHere = await runtimeAvailable('wasmtime');
const v8Here = await runtimeAvailable('wasm');

export const testHosts: TestHost[] = [
  ...ISOLATIONS.map((isolation) => ({
    name: `V8 host ${isolation}`,
    here: v8Here,
    // A pool of one worker per test tenant (3 at most), so no two of them share a worker.
    concurrent: isolation !== 'shared-thread',
    argv: (requestTimeoutMs: number, maxMemoryMiB?: number) => v8HostArgv({ requestTimeoutMs, maxMemoryMiB, isolation, poolWorkers: 4 }),
  })),
  ...(['per-request', 'per-tenant'] as const).map((model) => ({
    name: `wasmtime host ${model}`,
    here: wasmtimeHere,
    concurrent: true,
    argv: (ms: number, maxMemoryMiB?: number) => wasmtimeHostArgv(model, ms, maxMemoryMiB),
  })),
];
