// Wasm components in coldbench's V8 host (src/wasm-host/): one Node process that compiles each
// component's core modules once and instantiates them once per tenant, through jco's glue.
import { access } from 'node:fs/promises';
import { z } from 'zod';
import { choiceList } from '../choice-list.js';
import { WASM_HOST_MAIN } from '../paths.js';
import { ISOLATIONS, type Isolation } from '../wasm-host/protocol.js';
import { platformEnv } from './platform.js';
import { type Availability, defineRuntime, type RunContext, type RuntimeDriver } from './types.js';
import { V8_WASM_FLAGS } from './v8-wasm-features.js';
import { maxMemoryMiB, requestTimeoutMs } from './wasm-host-limits.js';

export async function v8HostAvailable(): Promise<Availability> {
  try {
    await access(WASM_HOST_MAIN);
    return { available: true, version: `coldbench V8 host (jco) on node ${process.version}` };
  } catch {
    return { available: false, reason: `the Wasm host is not built (${WASM_HOST_MAIN} is missing)`, fix: 'run `npm run build`' };
  }
}

const V8HostLimits = z
  .object({
    requestTimeoutMs: requestTimeoutMs(
      "Per-request deadline: a guest that runs longer gets a 500, counts as a fault and is re-instantiated. On the host's thread (isolation shared-thread) a watchdog makes V8 terminate the call, and the other tenants wait until then; in a worker, the host ends the worker.",
    ),
    maxMemoryMiB: maxMemoryMiB(
      "Cap on each tenant's linear memory (MiB): every memory a component defines gets it as its maximum, so a grow past it fails; a tenant that traps at its cap gets a 500, counts as a fault and is re-instantiated.",
    ),
  })
  .strict();
const LIMIT_DEFAULTS = V8HostLimits.parse({});

/** The settings of V8 hosts that run one tenant each (the `wasm-per-process` key of a scenario). */
export const V8HostOptions = V8HostLimits.default(LIMIT_DEFAULTS);
export type V8HostOptions = z.infer<typeof V8HostOptions>;

const SharedV8HostOptions = V8HostLimits.extend({
  isolation: choiceList(ISOLATIONS, 'isolation')
    .default(['shared-thread'])
    .describe(
      "Where the host runs its tenants, each listed one measured as a variant. shared-thread: all on the host's thread (a tenant that loops holds the others until its deadline); worker-per-tenant: a worker thread each (a loop holds only its own tenant; costs a worker per tenant); worker-pool: spread over poolWorkers worker threads (a loop holds only the tenants of its worker).",
    ),
  poolWorkers: z.number().int().min(1).max(1024).default(2).describe('Worker threads of the worker-pool isolation.'),
}).strict();
const SHARED_DEFAULTS = SharedV8HostOptions.parse({});

/** The V8 host's command. --trace-sigint keeps Node's SIGINT watchdog thread running, which makes
 * the per-request deadline nearly free (src/wasm-host/deadline.ts). */
export function v8HostArgv(limits: Partial<V8HostOptions> & { isolation?: Isolation; poolWorkers?: number } = {}, node = process.execPath): string[] {
  const requestTimeoutMs = limits.requestTimeoutMs ?? SHARED_DEFAULTS.requestTimeoutMs;
  const maxMemoryMiB = limits.maxMemoryMiB ?? SHARED_DEFAULTS.maxMemoryMiB;
  const isolation = limits.isolation ?? 'shared-thread';
  const poolWorkers = limits.poolWorkers ?? SHARED_DEFAULTS.poolWorkers;
  return [
    node,
    '--trace-sigint',
    ...V8_WASM_FLAGS,
    WASM_HOST_MAIN,
    '--request-timeout-ms',
    String(requestTimeoutMs),
    '--max-memory-mib',
    String(maxMemoryMiB),
    '--isolation',
    isolation,
    '--pool-workers',
    String(poolWorkers),
  ];
}

/** A driver of V8 hosts: one shared by every tenant, or one per tenant; `variant`: an isolation. */
export async function v8HostedDriver(
  name: string,
  context: RunContext,
  hosting: 'shared' | 'per-tenant',
  options: V8HostOptions & { isolation?: Isolation[]; poolWorkers?: number },
  variant?: string,
): Promise<RuntimeDriver> {
  const { hostedWasmDriver } = await import('./wasm-hosted.js');
  const isolation = (variant as Isolation | undefined) ?? options.isolation?.[0];
  return hostedWasmDriver({
    name,
    variant,
    context,
    hosting,
    // The host is a Node program: on a foreign platform, that platform's node runs it (emulated).
    command: {
      argv: v8HostArgv({ ...options, isolation }, context.platform?.node),
      serverCpus: context.serverCpus,
      env: platformEnv(context.platform),
    },
  });
}

export const V8_HOST_PHASES = ['host-spawn', 'host-start', 'compile', 'worker-start', 'instantiate', 'first-call'];

export const wasm = defineRuntime({
  name: 'wasm',
  family: 'wasm',
  summary: 'an instance per tenant in one shared coldbench V8 host (jco)',
  artifacts: ['component'],
  phases: V8_HOST_PHASES,
  options: SharedV8HostOptions.default(SHARED_DEFAULTS),
  // At the default alone no variant is named, so such samples stay as before isolation existed.
  variants: (options) => (options.isolation.length === 1 && options.isolation[0] === 'shared-thread' ? undefined : options.isolation),
  available: v8HostAvailable,
  emulates: true,
  microHost: true,
  create: (context, options, variant) => v8HostedDriver('wasm', context, 'shared', options, variant),
});
