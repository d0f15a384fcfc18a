// The Node app: the workload's handler behind the Node HTTP adapter. The process runtime runs it
// directly and the container image wraps it.
import { copyFile, mkdir, writeFile, stat, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ADAPTERS_DIR, ARTIFACTS_DIR } from '../paths.js';
import type { Workload } from './catalog.js';
import { hashInputs } from './hash.js';
import { readMarker, writeMarker, type NodeApp } from './artifacts.js';

export async function buildNodeApp(workload: Workload): Promise<NodeApp> {
  const handler = join(workload.dir, workload.handler);
  const adapter = join(ADAPTERS_DIR, 'node-server.js');
  const hash = await hashInputs([handler, adapter], { kind: 'node-app' });
  const dir = join(ARTIFACTS_DIR, workload.name, `node-app-${hash}`);
  const cached = await readMarker<NodeApp>(dir);
  if (cached) return cached;

  const started = performance.now();
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  await copyFile(handler, join(dir, 'handler.js'));
  await copyFile(adapter, join(dir, 'server.js'));
  await writeFile(join(dir, 'package.json'), '{ "type": "module" }\n');
  const app = (await stat(join(dir, 'handler.js'))).size + (await stat(join(dir, 'server.js'))).size;
  const record: NodeApp = {
    kind: 'node-app', hash, cached: false, dir, entry: join(dir, 'server.js'),
    buildMs: performance.now() - started, sizes: { app },
  };
  await writeMarker(dir, record);
  return record;
}
