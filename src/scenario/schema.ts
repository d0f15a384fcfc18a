// The scenario schema: one zod definition gives both the runtime validation and the JSON Schema
// that editors use (written to scenarios/scenario.schema.json by `coldbench schema`).
import { z } from 'zod';

// wasm: every tenant is an instance in one shared host process; wasm-per-process: one host process
// per tenant, so results show whether density comes from Wasm or from the hosting model.
export const RUNTIME_NAMES = ['docker', 'wasm', 'wasm-per-process', 'process'] as const;
export type RuntimeName = (typeof RUNTIME_NAMES)[number];

const ColdStartSchema = z
  .object({
    iterations: z.number().int().min(1).max(10000).default(10)
      .describe('Measured cold starts per runtime and workload.'),
    warmup: z.number().int().min(0).max(1000).default(2)
      .describe('Cold starts run first and discarded (they fill caches: images, compiled modules).'),
    timeoutMs: z.number().int().min(100).max(600000).default(15000)
      .describe('Give up on one cold start when no expected response came within this time.'),
    probeFloorSamples: z.number().int().min(1).max(10000).default(50)
      .describe('Probes of an already-listening server, to measure the prober\'s own floor.'),
  })
  .strict();

const LoadSchema = z
  .object({
    connections: z.number().int().min(1).max(10000).default(10).describe('Concurrent keep-alive connections of the load client.'),
    durationSec: z.number().min(1).max(3600).default(10).describe('Length of one measured load pass.'),
    warmupSec: z.number().min(0).max(600).default(2).describe('Load sent first and discarded.'),
    repetitions: z.number().int().min(1).max(100).default(3).describe('Measured passes per runtime; medians and CIs are over passes.'),
    pipelining: z.number().int().min(1).max(64).default(1).describe('Requests in flight per connection (closed model only).'),
    ratePerSec: z.number().positive().optional()
      .describe('Set: fixed-rate (open) model at this many requests per second, latency from intended send times. Unset: closed model (autocannon).'),
    tenants: z.number().int().min(1).max(10000).default(1).describe('Requests are spread across this many tenants.'),
    request: z.number().int().min(0).default(0).describe('Which of the workload\'s declared requests to send (index).'),
    cpuIsolation: z.boolean().default(false)
      .describe('Pin servers to CPU 0 and the load client to CPU 1 (cpuset for containers, taskset for processes and the Wasm host).'),
    clientBoundCpu: z.number().min(0.1).max(64).default(0.9)
      .describe('A pass whose client used at least this many cores is flagged client-bound: its req/s is the client\'s ceiling.'),
  })
  .strict();

const DensitySchema = z
  .object({
    steps: z.array(z.number().int().min(1)).min(1).default([1, 10, 50, 100])
      .describe('Tenant counts at which memory, start time and a sweep are measured; the ramp ends at the last one.'),
    maxTenants: z.number().int().min(1).default(1000).describe('Stop a ramp at this many tenants (CLI: --max-tenants).'),
    maxTenantsPerRuntime: z.partialRecord(z.enum(RUNTIME_NAMES), z.number().int().min(1)).optional()
      .describe('A lower cap for some runtimes, e.g. { process: 200 }.'),
    memoryBudgetMiB: z.number().positive().optional()
      .describe('Stop a ramp once host MemAvailable has dropped by this much since it began.'),
    timeLimitSec: z.number().positive().default(300).describe('Stop a ramp after this long.'),
    concurrency: z.number().int().min(1).max(256).default(8).describe('Tenants deployed at the same time.'),
    settleMs: z.number().int().min(0).max(60000).default(1000).describe('Wait before reading memory at a step.'),
  })
  .strict();

const DockerSchema = z
  .object({
    network: z.enum(['host', 'bridge']).default('host')
      .describe('host: the container listens on a harness-assigned port of the host; bridge: published on 127.0.0.1 through docker-proxy.'),
    baseImage: z.string().min(1).optional()
      .describe('Build images FROM this registry image (which must contain node) instead of FROM scratch with the host\'s node.'),
  })
  .strict();

export const ScenarioSchema = z
  .object({
    name: z.string().regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, ".", "_" or "-"')
      .describe('Names the results file.'),
    description: z.string().optional(),
    workloads: z.array(z.string().min(1)).min(1).describe('Folders under workloads/.'),
    runtimes: z.array(z.enum(RUNTIME_NAMES)).min(1).describe('Runtimes to measure, in any order.'),
    docker: DockerSchema.default({ network: 'host' }),
    measurements: z
      .object({ coldstart: ColdStartSchema.optional(), load: LoadSchema.optional(), density: DensitySchema.optional() })
      .strict()
      .refine((m) => Object.keys(m).length > 0, 'at least one measurement (coldstart, load, density)'),
  })
  .strict();

export type Scenario = z.infer<typeof ScenarioSchema>;
export type ColdStartOptions = z.infer<typeof ColdStartSchema>;
export type LoadOptions = z.infer<typeof LoadSchema>;
export type DensityOptions = z.infer<typeof DensitySchema>;
export type DockerOptions = z.infer<typeof DockerSchema>;

export function scenarioJsonSchema(): object {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'coldbench scenario',
    ...z.toJSONSchema(ScenarioSchema, { io: 'input' }),
  };
}

/** Runtime settings when no scenario gives any (build, verify, doctor). */
export const DEFAULT_RUNTIME_SETTINGS: Pick<Scenario, 'docker'> = { docker: { network: 'host' } };
