// Wasm components on wasmtime, the reference runtime: one coldbench wasmtime host process
// (hosts/wasmtime/, Rust on the wasmtime crates) serves every tenant, like the V8 host, and speaks
// the same control protocol. Per component it compiles once and keeps the precompiled artifact on
// disk; per tenant it pre-links a ProxyPre. Two instance models, measured as variants:
// instance-per-request (wasmtime serve's model) and instance-per-tenant (like the V8 host).

import { z } from 'zod';
import { choiceList } from '../choice-list.js';
import { DEFAULT_MAX_MEMORY_MIB, DEFAULT_REQUEST_TIMEOUT_MS } from '../wasm-host/protocol.js';
import { defineRuntime } from './types.js';
import { maxMemoryMiB, requestTimeoutMs } from './wasm-host-limits.js';
import { wasmtimeHostArgv, wasmtimeHostAvailable } from './wasmtime-build.js';
import { TOKIO_RUNTIME_DEFAULT, TokioRuntimeOption, tokioRuntimeArgv } from './wasmtime-tokio.js';

const INSTANCE_MODELS = ['per-request', 'per-tenant'] as const;
const SWITCH = z.enum(['auto', 'yes', 'no']);

// What reusing a pool slot costs: the per-request model pays it on every request. Defaults measured
// here: resetting the first 1 MiB of memory in place instead of madvise cut the host's CPU per
// request by about a quarter for hello-c (126 -> 92 µs on a busy machine); PAGEMAP_SCAN gave nothing.
const PoolOptions = z
  .object({
    keepResidentBytes: z
      .number()
      .int()
      .min(0)
      .max(256 << 20)
      .default(1 << 20)
      .describe('Bytes of each linear memory and table reset in place (memset) when an instance ends, instead of given back to the kernel (madvise).'),
    pagemapScan: SWITCH.default('no').describe(
      'Reset only the pages an instance wrote (PAGEMAP_SCAN, Linux 6.7+); auto: when the kernel has it. Off by default: no gain measured here.',
    ),
    decommitBatch: z.number().int().min(1).max(4096).default(1).describe('Instances whose memory is given back to the kernel in one batch.'),
    memoriesPerComponent: z
      .number()
      .int()
      .min(1)
      .max(16)
      .default(3)
      .describe(
        "Linear memories one component may have (each reserves 288 MiB of address space in every pool slot); 3 by default, for the catalog's composed pipeline (one per stage).",
      ),
  })
  .strict();
const POOL_DEFAULTS = PoolOptions.parse({});

/** The host's flags for these pool settings. */
function poolArgv(pool: z.infer<typeof PoolOptions>): string[] {
  return [
    '--pool-keep-resident',
    String(pool.keepResidentBytes),
    '--pagemap-scan',
    pool.pagemapScan,
    '--decommit-batch',
    String(pool.decommitBatch),
    '--memories-per-component',
    String(pool.memoriesPerComponent),
  ];
}

const WasmtimeOptions = z
  .object({
    instanceModels: choiceList(INSTANCE_MODELS, 'instance model')
      .default([...INSTANCE_MODELS])
      .describe(
        "per-request: a fresh store and instance for every request (wasmtime serve's model); per-tenant: one persistent instance per tenant. Each listed model is measured as a variant.",
      ),
    requestTimeoutMs: requestTimeoutMs('Per-request deadline (epoch interruption): a guest that loops longer gets a 500 and counts as a fault.'),
    maxMemoryMiB: maxMemoryMiB(
      "Cap on each tenant's linear memory, all its memories together (MiB; the host's resource limiter): a grow past it traps, the request gets a 500, counts as a fault and the instance is replaced.",
    ),
    pool: PoolOptions.default(POOL_DEFAULTS).describe("The pooling allocator's slot-reuse settings (recorded with the scenario in every results file)."),
    tokioRuntime: TokioRuntimeOption,
  })
  .strict()
  .default({
    instanceModels: [...INSTANCE_MODELS],
    requestTimeoutMs: DEFAULT_REQUEST_TIMEOUT_MS,
    maxMemoryMiB: DEFAULT_MAX_MEMORY_MIB,
    pool: POOL_DEFAULTS,
    tokioRuntime: TOKIO_RUNTIME_DEFAULT,
  });

export const wasmtime = defineRuntime({
  name: 'wasmtime',
  family: 'wasm',
  summary: 'an instance per tenant (or per request) in one coldbench wasmtime host, the reference Wasm runtime',
  artifacts: ['component'],
  phases: ['host-spawn', 'host-start', 'compile', 'load', 'instantiate-pre', 'instantiate', 'first-call', 'control'],
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
        argv: wasmtimeHostArgv(model, options.requestTimeoutMs, options.maxMemoryMiB, [...poolArgv(options.pool), ...tokioRuntimeArgv(options.tokioRuntime)]),
        serverCpus: context.serverCpus,
      },
    });
  },
});
