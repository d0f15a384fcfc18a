// `coldbench schema`: writes the scenario JSON Schema that editors use (scenarios/scenario.schema.json).
import { join } from 'node:path';
import { PROJECT_ROOT } from '../paths.js';
import { writeJsonAtomic } from '../results/write.js';
import { scenarioJsonSchema } from '../scenario/schema.js';
import { workloadJsonSchema } from '../workloads/catalog.js';

export const SCHEMA_FILE = join(PROJECT_ROOT, 'scenarios', 'scenario.schema.json');
export const WORKLOAD_SCHEMA_FILE = join(PROJECT_ROOT, 'workloads', 'workload.schema.json');

/** Writes the scenario schema (to `out` when given) and the workload.yaml schema. */
export async function schemaCommand(out = SCHEMA_FILE): Promise<number> {
  await writeJsonAtomic(out, scenarioJsonSchema());
  console.log(`wrote ${out}`);
  await writeJsonAtomic(WORKLOAD_SCHEMA_FILE, workloadJsonSchema());
  console.log(`wrote ${WORKLOAD_SCHEMA_FILE}`);
  return 0;
}
