// The scenario schema, assembled from the registries: runtime names and each runtime's settings
// (a top-level key named after the runtime) come from src/runtimes/, the measurements and their
// settings from src/measure/. One zod definition gives both the validation and the JSON Schema
// that editors use (written to scenarios/scenario.schema.json by `coldbench schema`).

import { z } from 'zod';
import { choiceList } from '../choice-list.js';
import type { ColdStartOptions } from '../measure/coldstart-read.js';
import type { DensityOptions } from '../measure/density-read.js';
import type { LoadOptions } from '../measure/load-read.js';
import { measurementKinds } from '../measure/registry.js';
import { PLATFORM_NAMES, type PlatformName } from '../runtimes/platform.js';
import { runtimeDescriptors, runtimeNames } from '../runtimes/registry.js';
import { checkPerRuntimeMaps } from './per-runtime-maps.js';

export const NAME = /^[A-Za-z0-9._-]{1,100}$/;

function buildSchema() {
  const names = runtimeNames() as [string, ...string[]];
  const runtimeOptions = Object.fromEntries(
    runtimeDescriptors()
      .filter((r) => r.options)
      .map((r) => [r.name, r.options!]),
  );
  const measurements = Object.fromEntries(measurementKinds().map((k) => [k.name, (k.options as z.ZodType).optional().describe(k.summary)]));
  return z
    .object({
      name: z.string().regex(NAME, 'letters, digits, ".", "_" or "-" (at most 100)').describe('Names the results file.'),
      description: z.string().max(1000).optional(),
      workloads: z.array(z.string().regex(NAME, 'a workload folder name')).min(1).max(100).describe('Folders under workloads/.'),
      runtimes: choiceList(names, 'runtime').describe(
        `Runtimes to measure, in any order: ${runtimeDescriptors()
          .map((r) => `${r.name} (${r.summary})`)
          .join('; ')}.`,
      ),
      platforms: choiceList(PLATFORM_NAMES, 'platform')
        .optional()
        .describe(
          `Measure every runtime once per platform (default: this machine's own). A foreign architecture runs emulated (qemu-user-static through binfmt_misc, set up by scripts/setup-arm64.sh when first asked for; ${runtimeDescriptors()
            .filter((r) => r.emulates)
            .map((r) => r.name)
            .join(', ')} only): its samples say so, and its timings are not hardware timings.`,
        ),
      ...runtimeOptions,
      measurements: z
        .object(measurements)
        .strict()
        .refine(
          (m) => Object.values(m).some((v) => v !== undefined),
          `at least one measurement (${measurementKinds()
            .map((k) => k.name)
            .join(', ')})`,
        ),
    })
    .strict()
    .superRefine(checkPerRuntimeMaps);
}

const schemas = new Map<string, ReturnType<typeof buildSchema>>();
/** Built once per set of runtimes (the tests-only fake runtime may join it). */
export function scenarioSchema(): ReturnType<typeof buildSchema> {
  const key = runtimeNames().join(',');
  if (!schemas.has(key)) schemas.set(key, buildSchema());
  return schemas.get(key)!;
}

export interface Scenario {
  name: string;
  description?: string;
  workloads: string[];
  runtimes: string[];
  platforms?: PlatformName[];
  measurements: { coldstart?: ColdStartOptions; load?: LoadOptions; density?: DensityOptions } & Record<string, unknown>;
  /** Each runtime's settings, under its name (e.g. `docker: { network: host }`). */
  [runtime: string]: unknown;
}

export function parseScenarioValue(value: unknown) {
  return scenarioSchema().safeParse(value) as { success: true; data: Scenario } | { success: false; error: z.ZodError };
}

export function scenarioJsonSchema(): object {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'coldbench scenario',
    ...z.toJSONSchema(scenarioSchema(), { io: 'input' }),
  };
}
