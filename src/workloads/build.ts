// Builds the artifacts the requested runtimes need from one workload, reusing cached ones.
import type { Workload } from './catalog.js';
import type { WorkloadArtifacts } from './artifacts.js';
import type { ArtifactKind } from '../runtimes/types.js';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { publishComponent } from './component-store.js';
import { formatBytes, formatMs } from '../format.js';

export interface BuildOptions {
  baseImage?: string;
  log?: (line: string) => void;
  /** Stops a component build at once (Ctrl-C). */
  signal?: AbortSignal;
  /** The run a build belongs to: its process carries the run marker. */
  runId?: string;
}

export async function buildWorkload(workload: Workload, kinds: ReadonlySet<ArtifactKind>, options: BuildOptions = {}): Promise<WorkloadArtifacts> {
  const log = options.log ?? (() => {});
  const artifacts: WorkloadArtifacts = { workload };
  if (kinds.has('server-app') || kinds.has('image')) {
    const { buildServerApp } = await import('./build-server-app.js');
    artifacts.serverApp = await buildServerApp(workload);
  }
  if (kinds.has('image')) {
    const { buildImage } = await import('./build-image.js');
    log(`building image for ${workload.name}…`);
    artifacts.image = await buildImage(workload, artifacts.serverApp!, options.baseImage);
    log(`  image ${artifacts.image.tag} ${describe(artifacts.image)}`);
  }
  if (kinds.has('component')) {
    const { buildComponentInChild } = await import('./build-in-child.js');
    log(`building component for ${workload.name}…`);
    const component = await buildComponentInChild(workload, options.signal, options.runId);
    const sha256 = createHash('sha256').update(await readFile(component.wasm)).digest('hex');
    await publishComponent(sha256, dirname(component.wasm));
    artifacts.component = { ...component, sha256 };
    log(`  component ${describe(artifacts.component)}`);
  }
  return artifacts;
}

function describe(record: { cached: boolean; buildMs: number; sizes: Record<string, number> }): string {
  const sizes = Object.entries(record.sizes).map(([k, v]) => `${k} ${formatBytes(v)}`).join(', ');
  return `${record.cached ? '(cached)' : `(built in ${formatMs(record.buildMs)})`} ${sizes}`;
}
