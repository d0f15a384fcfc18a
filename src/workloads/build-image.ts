// The container image, built offline FROM scratch so that no registry is needed: a C workload's
// static binary alone, a JS workload's app with the host's node binary and the shared libraries
// `ldd` lists, or a Python workload's with Debian's python3 (python-image.ts). A scenario may name
// a registry base image (with node) for JS instead.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFile, link, mkdir, realpath, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { ARTIFACTS_DIR } from '../paths.js';
import { dockerClient } from '../runtimes/docker-client.js';
import { hostPlatform, type Platform } from '../runtimes/platform.js';
import type { ContainerImage, ServerApp } from './artifacts.js';
import type { Workload } from './catalog.js';
import { hashInputs } from './hash.js';
import { PYTHON_FLAGS, pythonImageFiles } from './python-image.js';
import { DEBIAN_PYTHON, pythonVersion } from './python-toolchain.js';

const run = promisify(execFile);
export const NODE_IN_IMAGE = '/usr/local/bin/node';

/** A foreign platform's image holds its own node and libraries (or its cross-compiled binary). */
export async function buildImage(workload: Workload, app: ServerApp, baseImage?: string, platform: Platform = hostPlatform()): Promise<ContainerImage> {
  const js = app.language === 'js' || app.language === 'pipeline'; // a pipeline's app is run by node too
  const py = app.language === 'python';
  if (py && platform.emulated)
    throw new Error(`${workload.name}: a Python image for ${platform.name} needs that platform's python3, which the set-up does not install`);
  // A static binary needs no base image; a foreign platform's image is built FROM scratch (scenario/load.ts refuses both together).
  const base = js && !platform.emulated ? baseImage : undefined;
  const hash = await hashInputs(
    app.files.map((f) => join(app.dir, f)),
    {
      kind: 'image',
      base: base ?? 'scratch',
      node: js ? process.version : '-',
      ...(py ? { python: await pythonVersion() } : {}),
      arch: platform.emulated ? platform.name : process.arch, // the host's keeps the hash it always had
    },
  );
  const tag = `coldbench/${workload.name}:${hash}`;
  const docker = await dockerClient();
  const existing = await docker
    .getImage(tag)
    .inspect()
    .catch(() => undefined);
  if (existing && existing.Architecture === platform.arch) return imageRecord(tag, hash, existing, 0, true);

  const started = performance.now();
  // Private to this build: two runs may build the same image at once (the same bytes, one tag).
  const context = join(ARTIFACTS_DIR, workload.name, `image-${hash}.${process.pid}-${randomBytes(3).toString('hex')}`);
  await rm(context, { recursive: true, force: true });
  try {
    for (const file of app.files) await placeFile(join(app.dir, file), join(context, 'rootfs', 'app', file));
    if (js && !base) {
      const node = await realpath(platform.node);
      await placeFile(node, join(context, 'rootfs', NODE_IN_IMAGE));
      for (const library of await sharedLibraries(node, platform)) await placeFile(library, join(context, 'rootfs', library));
    }
    if (py) for (const file of await pythonImageFiles()) await placeFile(file, join(context, 'rootfs', file));
    await writeFile(join(context, 'Dockerfile'), dockerfile(app.language, base));
    const stream = await docker.buildImage(
      { context, src: ['Dockerfile', 'rootfs'] },
      {
        t: tag,
        labels: { 'coldbench.workload': workload.name },
        rm: true,
        forcerm: true,
        // The legacy builder's cache ignores the platform: a cached step could hand back the other architecture's image.
        ...(platform.emulated ? { platform: platform.name, nocache: true } : {}),
      },
    );
    await followBuild(docker, stream);
  } finally {
    await rm(context, { recursive: true, force: true });
  }
  const built = await docker.getImage(tag).inspect();
  if (built.Architecture !== platform.arch) throw new Error(`image ${tag} was built for ${built.Architecture}, expected ${platform.arch}`);
  return imageRecord(tag, hash, built, performance.now() - started, false);
}

function imageRecord(tag: string, hash: string, image: { Id: string; Size: number; Architecture: string }, buildMs: number, cached: boolean): ContainerImage {
  return { kind: 'image', hash, cached, buildMs, tag, digest: image.Id, arch: image.Architecture, sizes: { image: image.Size } };
}

const FOREIGN_LOADER: Record<string, string> = { arm64: '/lib/ld-linux-aarch64.so.1' };

function dockerfile(language: ServerApp['language'], base: string | undefined): string {
  const node = base ? '"node", "/app/server.js"' : `"${NODE_IN_IMAGE}", "/app/server.js"`;
  const command = {
    c: '"/app/server"',
    js: node,
    pipeline: node, // the linked pipeline; docker-services runs each stage's own entry
    python: [DEBIAN_PYTHON, ...PYTHON_FLAGS, '/app/server.py'].map((a) => JSON.stringify(a)).join(', '),
  }[language];
  return `FROM ${base ?? 'scratch'}\nCOPY rootfs/ /\nENV HOST=0.0.0.0\nCMD [${command}]\n`;
}

async function sharedLibraries(binary: string, platform: Platform): Promise<string[]> {
  // A foreign binary's own loader lists its libraries (it runs under emulation): ldd knows only the host's.
  const { stdout } = platform.emulated ? await run(FOREIGN_LOADER[platform.arch] ?? '-', ['--list', binary]) : await run('ldd', [binary]);
  // Lines look like "libm.so.6 => /lib/x86_64-linux-gnu/libm.so.6 (0x...)" or "/lib64/ld-linux-x86-64.so.2 (0x...)".
  return [...stdout.matchAll(/(\/[^\s)]+)\s+\(0x/g)].map((m) => m[1]!);
}

async function placeFile(source: string, target: string): Promise<void> {
  await mkdir(dirname(target), { recursive: true });
  const real = await realpath(source);
  // A hard link avoids copying node's ~100 MB when the artifacts live on the same filesystem.
  await link(real, target).catch(() => copyFile(real, target));
}

function followBuild(docker: Awaited<ReturnType<typeof dockerClient>>, stream: NodeJS.ReadableStream): Promise<void> {
  return new Promise((resolve, reject) => {
    docker.modem.followProgress(stream, (error: Error | null, output: { error?: string }[]) => {
      const failed = output?.find((line) => line.error);
      if (error) reject(error);
      else if (failed) reject(new Error(`docker build failed: ${failed.error}`));
      else resolve();
    });
  });
}
