// Builds what each requested runtime needs from one workload, reusing cached artifacts.
import type { RuntimeName } from '../scenario/schema.js';
import type { Workload } from './catalog.js';
import type { WorkloadArtifacts } from './artifacts.js';
import { buildServerApp } from './build-server-app.js';
import { buildImage } from './build-image.js';
import { buildComponent } from './build-component.js';

export interface BuildOptions {
  baseImage?: string;
  log?: (line: string) => void;
}

export async function buildWorkload(workload: Workload, runtimes: RuntimeName[], options: BuildOptions = {}): Promise<WorkloadArtifacts> {
  const log = options.log ?? (() => {});
  const artifacts: WorkloadArtifacts = { workload };
  if (runtimes.includes('process') || runtimes.includes('docker')) {
    artifacts.serverApp = await buildServerApp(workload);
  }
  if (runtimes.includes('docker')) {
    log(`building image for ${workload.name}…`);
    artifacts.image = await buildImage(workload, artifacts.serverApp!, options.baseImage);
    log(`  image ${artifacts.image.tag} ${describe(artifacts.image)}`);
  }
  if (runtimes.includes('wasm') || runtimes.includes('wasm-per-process')) {
    log(`building component for ${workload.name}…`);
    artifacts.component = await buildComponent(workload);
    log(`  component ${describe(artifacts.component)}`);
  }
  return artifacts;
}

function describe(record: { cached: boolean; buildMs: number; sizes: Record<string, number> }): string {
  const sizes = Object.entries(record.sizes).map(([k, v]) => `${k} ${(v / 1048576).toFixed(1)} MiB`).join(', ');
  return `${record.cached ? '(cached)' : `(built in ${(record.buildMs / 1000).toFixed(1)} s)`} ${sizes}`;
}
