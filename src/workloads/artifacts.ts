// What a workload is built into, one artifact per runtime kind, and the cache marker that says
// an artifact directory is complete (written last, so a crash mid-build never looks finished).

import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { writeJsonAtomic } from '../results/write.js';
import type { Workload } from './catalog.js';

export type { BuildRecord } from '../results/types.js';

import type { BuildRecord } from '../results/types.js';

/** What the process runtime runs: `command` (argv) serves HTTP on $HOST:$PORT. */
export interface ServerApp extends BuildRecord {
  kind: 'server-app';
  language: Workload['language'];
  dir: string;
  files: string[]; // relative to dir: what an image must contain under /app
  command: string[];
}
/**
 * The record of a server app just built in `work` (to be moved to `dir`): `files` are summed by
 * size under `sizeKey`; `extra` holds a kind's own fields (a pipeline's services).
 */
export async function serverAppRecord<Extra extends object = object>(
  built: Pick<ServerApp, 'language' | 'hash' | 'dir' | 'files' | 'command'> & { work: string; started: number; sizeKey: string },
  extra?: Extra,
): Promise<ServerApp & Extra> {
  let size = 0;
  for (const file of built.files) size += (await stat(join(built.work, file))).size;
  const { work: _work, started, sizeKey, ...record } = built;
  return {
    kind: 'server-app',
    ...record,
    cached: false,
    buildMs: performance.now() - started,
    sizes: { [sizeKey]: size },
    ...(extra as Extra),
  };
}

export interface ContainerImage extends BuildRecord {
  kind: 'image';
  tag: string;
  /** The engine's image id (sha256:…): a different image for every architecture. */
  digest?: string;
  /** The architecture the engine records for the image (amd64, arm64). */
  arch?: string;
}
export interface WasmComponent extends BuildRecord {
  kind: 'component';
  wasm: string;
  module: string;
  /** sha256 over the files the V8 host loads (jco's glue and core modules, by name), read when the run used them. */
  servedSha256?: string;
}

export interface WorkloadArtifacts {
  workload: Workload;
  serverApp?: ServerApp;
  image?: ContainerImage;
  component?: WasmComponent;
}

const MARKER = 'build.json';

export async function readMarker<T extends BuildRecord>(dir: string): Promise<T | undefined> {
  try {
    const record = JSON.parse(await readFile(join(dir, MARKER), 'utf8')) as T;
    return { ...record, cached: true, buildMs: 0 };
  } catch {
    return undefined;
  }
}

export async function writeMarker(dir: string, record: BuildRecord): Promise<void> {
  await writeJsonAtomic(join(dir, MARKER), record);
}

/**
 * Builds an artifact folder in a private folder next to `dir` (the build gets its path, and puts
 * `dir` in the record it returns), then renames it into place. Two runs building the same artifact
 * at once both end with a whole one, and a crash mid-build leaves no half-built `dir`.
 */
export async function buildAtomically<T extends BuildRecord>(dir: string, build: (work: string) => Promise<T>): Promise<T> {
  const work = `${dir}.partial-${process.pid}-${randomBytes(3).toString('hex')}`;
  await mkdir(work, { recursive: true });
  try {
    const record = await build(work);
    await writeMarker(work, record);
    for (let attempt = 0; ; attempt++) {
      try {
        await rename(work, dir);
        return record;
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if ((code !== 'ENOTEMPTY' && code !== 'EEXIST') || attempt > 0) throw error;
        if (await readMarker(dir)) return record; // another build finished first: the same bytes, keep its folder
        await rm(dir, { recursive: true, force: true }); // left half-built by an older version: replace it
      }
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
