// Wasm components on wasmtime, the reference runtime: one coldbench wasmtime host process
// (hosts/wasmtime/, Rust on the wasmtime crates) serves every tenant, like the V8 host, and speaks
// the same control protocol. Per component it compiles once and keeps the precompiled artifact on
// disk; per tenant it pre-links a ProxyPre. Two instance models, measured as variants:
// instance-per-request (wasmtime serve's model) and instance-per-tenant (like the V8 host).
import { z } from 'zod';
import { defineRuntime } from './types.js';
import { PRECOMPILED_DIR, WASMTIME_HOST_BIN, wasmtimeHostAvailable } from './wasmtime-build.js';

const INSTANCE_MODELS = ['per-request', 'per-tenant'] as const;

const WasmtimeOptions = z
  .object({
    instanceModels: z
      .array(z.enum(INSTANCE_MODELS))
      .min(1)
      .max(2)
      .default([...INSTANCE_MODELS])
      .refine((list) => new Set(list).size === list.length, 'each instance model at most once')
      .describe(
        "per-request: a fresh store and instance for every request (wasmtime serve's model); per-tenant: one persistent instance per tenant. Each listed model is measured as a variant.",
      ),
    requestTimeoutMs: z
      .number()
      .int()
      .min(1)
      .max(600_000)
      .default(10_000)
      .describe('Per-request deadline (epoch interruption): a guest that loops longer gets a 500 and counts as a fault.'),
  })
  .strict()
  .default({ instanceModels: [...INSTANCE_MODELS], requestTimeoutMs: 10_000 });

export const wasmtime = defineRuntime({
  name: 'wasmtime',
  family: 'wasm',
  summary: 'an instance per tenant (or per request) in one coldbench wasmtime host, the reference Wasm runtime',
  artifacts: ['component'],
  phases: ['host-spawn', 'host-start', 'compile', 'load', 'instantiate-pre', 'instantiate', 'first-call'],
  options: WasmtimeOptions,
  variants: (options) => options.instanceModels,
  available: wasmtimeHostAvailable,
  async create(context, options, variant) {
    const { hostedWasmDriver } = await import('./wasm-hosted.js');
    const model = variant ?? 'per-request';
    return hostedWasmDriver({
      name: 'wasmtime',
      variant: model,
      context,
      hosting: 'shared',
      command: {
        argv: [WASMTIME_HOST_BIN, '--cache-dir', PRECOMPILED_DIR, '--instance-model', model, '--request-timeout-ms', String(options.requestTimeoutMs)],
        serverCpus: context.serverCpus,
      },
    });
  },
});
