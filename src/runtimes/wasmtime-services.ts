// A pipeline as Wasm services: one tenant per stage in one coldbench wasmtime host, the front
// calling its stages over wasi:http/outgoing-handler, each call a real HTTP request on 127.0.0.1
// to the host's own port (tenants are routed by path, /t/<id>/). The front is granted exactly its
// stages' URL prefixes and learns them from its environment; the stages are granted nothing.
// A tenant of this runtime is the whole pipeline: its URL is the front's. Only for workloads
// whose component has stage services (a pipeline, see docs/composition.md).
import { z } from 'zod';
import { DEFAULT_MAX_MEMORY_MIB, DEFAULT_REQUEST_TIMEOUT_MS } from '../wasm-host/protocol.js';
import { defineRuntime } from './types.js';
import { maxMemoryMiB, requestTimeoutMs } from './wasm-host-limits.js';
import { wasmtimeHostAvailable } from './wasmtime-build.js';

const WasmtimeServicesOptions = z
  .object({
    instanceModel: z
      .enum(['per-tenant', 'per-request'])
      .default('per-tenant')
      .describe('per-tenant: one persistent instance per stage, as a service keeps running; per-request: a fresh instance of every stage for every request.'),
    requestTimeoutMs: requestTimeoutMs(
      "Each stage's per-request deadline (epoch interruption); a front's calls to its stages are bounded by what is left of its own.",
    ),
    maxMemoryMiB: maxMemoryMiB(
      "Cap on each stage's linear memory (MiB; the host's resource limiter): a grow past it traps and the stage's request gets a 500.",
    ),
  })
  .strict()
  .default({ instanceModel: 'per-tenant', requestTimeoutMs: DEFAULT_REQUEST_TIMEOUT_MS, maxMemoryMiB: DEFAULT_MAX_MEMORY_MIB });

export const wasmtimeServices = defineRuntime({
  name: 'wasmtime-services',
  family: 'wasm',
  summary: 'a pipeline workload as one tenant per stage in one coldbench wasmtime host, calling each other over wasi:http (other workloads: not deployable)',
  stageServices: true,
  artifacts: ['component'],
  phases: ['host-spawn', 'host-start', 'compile', 'load', 'stages', 'front'],
  options: WasmtimeServicesOptions,
  available: wasmtimeHostAvailable,
  async create(context, options) {
    const { wasmtimeServicesDriver } = await import('./wasmtime-services-driver.js');
    return wasmtimeServicesDriver(context, options);
  },
});
