// The scenario schema: one zod definition gives both the runtime validation and the JSON Schema
// that editors use (written to scenarios/scenario.schema.json by `coldbench schema`).
import { z } from 'zod';

export const RUNTIME_NAMES = ['docker', 'wasm', 'process'] as const;
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
      .object({ coldstart: ColdStartSchema.optional() })
      .strict()
      .refine((m) => Object.keys(m).length > 0, 'at least one measurement (coldstart)'),
  })
  .strict();

export type Scenario = z.infer<typeof ScenarioSchema>;
export type ColdStartOptions = z.infer<typeof ColdStartSchema>;
export type DockerOptions = z.infer<typeof DockerSchema>;

export function scenarioJsonSchema(): object {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'coldbench scenario',
    ...z.toJSONSchema(ScenarioSchema, { io: 'input' }),
  };
}
