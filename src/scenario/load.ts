// Reads a scenario YAML file into a typed Scenario. Every error is one line that names the file,
// the line when known, the field, and what was expected.
import { UserError } from '../errors.js';
import { measurementKinds } from '../measure/registry.js';
import { hostArch } from '../runtimes/platform.js';
import { listWorkloads, loadWorkload } from '../workloads/catalog.js';
import { parseYaml, readYamlText } from '../yaml-file.js';
import { parseScenarioValue, type Scenario } from './schema.js';

export async function loadScenario(file: string): Promise<Scenario> {
  const scenario = parseScenario(file, await readYamlText(file, 'scenario'));
  const known = await listWorkloads();
  scenario.workloads.forEach((name, index) => {
    if (!known.includes(name)) {
      throw new UserError(`${file}: workloads[${index}]: unknown workload "${name}", expected one of: ${known.join(', ')}`);
    }
  });
  if (new Set(scenario.workloads).size !== scenario.workloads.length) throw new UserError(`${file}: workloads: each workload at most once`);
  // Everything that can be checked against the workloads is checked now, before anything starts.
  const workloads = await Promise.all(scenario.workloads.map(loadWorkload));
  for (const kind of measurementKinds()) {
    const options = scenario.measurements[kind.name];
    const problem = options === undefined ? undefined : kind.checkWorkloads?.(options, workloads)[0];
    if (problem) throw new UserError(`${file}: ${problem}`);
  }
  return scenario;
}

export function parseScenario(file: string, text: string): Scenario {
  const scenario = parseYaml(file, text, parseScenarioValue);
  const foreign = scenario.platforms?.find((p) => p.split('/')[1] !== hostArch());
  if (foreign && (scenario.docker as { baseImage?: string } | undefined)?.baseImage) {
    throw new UserError(`${file}: docker.baseImage: cannot be used with platforms (${foreign} is built FROM scratch, offline); remove one of them`);
  }
  return scenario;
}
