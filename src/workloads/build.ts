// Builds the artifacts the requested runtimes need from one workload, reusing cached ones.

import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { formatBytes, formatMs } from '../format.js';
import type { Platform } from '../runtimes/platform.js';
import type { ArtifactKind } from '../runtimes/types.js';
import type { WorkloadArtifacts } from './artifacts.js';
import type { Workload } from './catalog.js';
import { publishComponent } from './component-store.js';

export interface BuildOptions {
  baseImage?: string;
  log?: (line: string) => void;
  /** Stops a component build at once (Ctrl-C). */
  signal?: AbortSignal;
  /** The run a build belongs to: its process carries the run marker. */
  runId?: string;
  /** Build the server app and image for this platform (default: the host's). The component is the same file on every platform. */
  platform?: Platform;
}

/** sha256 over a directory's files, each by name then content, in name order. */
async function directorySha256(dir: string): Promise<string> {
  const hash = createHash('sha256');
  for (const entry of (await readdir(dir, { withFileTypes: true })).filter((e) => e.isFile()).sort((a, b) => a.name.localeCompare(b.name))) {
    hash
      .update(entry.name)
      .update('\0')
      .update(await readFile(join(dir, entry.name)))
      .update('\0');
  }
  return hash.digest('hex');
}

export async function buildWorkload(workload: Workload, kinds: ReadonlySet<ArtifactKind>, options: BuildOptions = {}): Promise<WorkloadArtifacts> {
  const log = options.log ?? (() => {});
  const artifacts: WorkloadArtifacts = { workload };
  if (kinds.has('server-app') || kinds.has('image')) {
    const { buildServerApp } = await import(workload.language === 'pipeline' ? './pipeline-server-app.js' : './build-server-app.js');
    artifacts.serverApp = await buildServerApp(workload, options.platform);
  }
  if (kinds.has('image')) {
    const { buildImage } = await import('./build-image.js');
    log(`building image for ${workload.name}${options.platform ? ` (${options.platform.name})` : ''}…`);
    artifacts.image = await buildImage(workload, artifacts.serverApp!, options.baseImage, options.platform);
    log(`  image ${artifacts.image.tag} ${describe(artifacts.image)}`);
  }
  if (kinds.has('component')) {
    const { buildComponentInChild } = await import('./build-in-child.js');
    log(`building component for ${workload.name}…`);
    const component = await buildComponentInChild(workload, options.signal, options.runId);
    // Hashed on every build, cached or not: the record proves which bytes this run served.
    const sha256 = createHash('sha256')
      .update(await readFile(component.wasm))
      .digest('hex');
    await publishComponent(sha256, dirname(component.wasm));
    artifacts.component = { ...component, sha256, servedSha256: await directorySha256(dirname(component.module)) };
    if (workload.language === 'pipeline')
      artifacts.component.services = await (await import('./pipeline-service-publish.js')).publishServiceComponents(dirname(component.wasm));
    log(`  component ${describe(artifacts.component)}`);
  }
  return artifacts;
}

function describe(record: { cached: boolean; buildMs: number; sizes: Record<string, number> }): string {
  const sizes = Object.entries(record.sizes)
    .map(([k, v]) => `${k} ${formatBytes(v)}`)
    .join(', ');
  return `${record.cached ? '(cached)' : `(built in ${formatMs(record.buildMs)})`} ${sizes}`;
}
