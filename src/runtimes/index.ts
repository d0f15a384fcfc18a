// The runtime registry: scenario names to driver factories.
import type { RuntimeName, Scenario } from '../scenario/schema.js';
import type { RunContext, RuntimeDriver } from './types.js';
import { dockerDriver } from './docker.js';
import { wasmDriver } from './wasm.js';
import { processDriver } from './process.js';

export function createDriver(name: RuntimeName, context: RunContext, scenario: Pick<Scenario, 'docker'>): RuntimeDriver {
  switch (name) {
    case 'docker':
      return dockerDriver(context, scenario.docker);
    case 'wasm':
      return wasmDriver(context);
    case 'process':
      return processDriver(context);
  }
}
