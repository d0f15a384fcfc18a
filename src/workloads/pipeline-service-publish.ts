// Makes a built pipeline's service components (pipeline-service-components.ts) loadable by the
// Wasm hosts, each under the sha256 of its own component.wasm, like any component.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { publishComponent } from './component-store.js';
import { PIPELINE_STAGES } from './pipeline-sources.js';

/** The sha256 of each stage's service component, by stage, after publishing them; `componentDir` is the composed component's folder. */
export async function publishServiceComponents(componentDir: string): Promise<Record<string, string>> {
  const services: Record<string, string> = {};
  for (const stage of PIPELINE_STAGES) {
    const wasm = join(componentDir, 'services', stage, 'component.wasm');
    const sha256 = createHash('sha256')
      .update(await readFile(wasm))
      .digest('hex');
    await publishComponent(sha256, dirname(wasm));
    services[stage] = sha256;
  }
  return services;
}
