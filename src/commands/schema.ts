// `coldbench schema`: writes the scenario JSON Schema that editors use (scenarios/scenario.schema.json).
import { join } from 'node:path';
import { PROJECT_ROOT } from '../paths.js';
import { scenarioJsonSchema } from '../scenario/schema.js';
import { writeJsonAtomic } from '../results/write.js';

export const SCHEMA_FILE = join(PROJECT_ROOT, 'scenarios', 'scenario.schema.json');

export async function schemaCommand(out = SCHEMA_FILE): Promise<number> {
  await writeJsonAtomic(out, scenarioJsonSchema());
  console.log(`wrote ${out}`);
  return 0;
}
