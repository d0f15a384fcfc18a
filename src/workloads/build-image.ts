// The container image, built offline: FROM scratch with the host's node binary and the shared
// libraries `ldd` lists (no registry is needed), or FROM a named base image that has node.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { copyFile, link, mkdir, writeFile, rm, realpath, readdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ARTIFACTS_DIR } from '../paths.js';
import { dockerClient } from '../runtimes/docker-client.js';
import type { Workload } from './catalog.js';
import { hashInputs } from './hash.js';
import type { ContainerImage, NodeApp } from './artifacts.js';

const run = promisify(execFile);
const NODE_IN_IMAGE = '/usr/local/bin/node';

export async function buildImage(workload: Workload, app: NodeApp, baseImage?: string): Promise<ContainerImage> {
  const node = await realpath(process.execPath);
  const hash = await hashInputs([join(app.dir, 'handler.js'), join(app.dir, 'server.js')], {
    kind: 'image', base: baseImage ?? 'scratch', node: process.version, arch: process.arch,
  });
  const tag = `coldbench/${workload.name}:${hash}`;
  const docker = dockerClient();
  const existing = await docker.getImage(tag).inspect().catch(() => undefined);
  if (existing) {
    return { kind: 'image', hash, cached: true, buildMs: 0, tag, appDir: app.dir, sizes: { image: existing.Size } };
  }

  const started = performance.now();
  const context = join(ARTIFACTS_DIR, workload.name, `image-${hash}`);
  await rm(context, { recursive: true, force: true });
  await mkdir(join(context, 'rootfs', 'app'), { recursive: true });
  for (const file of ['handler.js', 'server.js', 'package.json']) {
    await copyFile(join(app.dir, file), join(context, 'rootfs', 'app', file));
  }
  if (!baseImage) {
    await placeFile(node, join(context, 'rootfs', NODE_IN_IMAGE));
    for (const library of await sharedLibraries(node)) await placeFile(library, join(context, 'rootfs', library));
  }
  await writeFile(join(context, 'Dockerfile'), dockerfile(baseImage));

  const stream = await docker.buildImage(
    { context, src: ['Dockerfile', ...(await readdir(context)).filter((f) => f === 'rootfs')] },
    { t: tag, labels: { 'coldbench.workload': workload.name }, rm: true, forcerm: true },
  );
  await followBuild(stream);
  const built = await docker.getImage(tag).inspect();
  await rm(context, { recursive: true, force: true });
  return {
    kind: 'image', hash, cached: false, buildMs: performance.now() - started, tag, appDir: app.dir,
    sizes: { image: built.Size },
  };
}

function dockerfile(baseImage: string | undefined): string {
  const from = baseImage ? `FROM ${baseImage}` : 'FROM scratch';
  const node = baseImage ? 'node' : NODE_IN_IMAGE;
  return `${from}\nCOPY rootfs/ /\nENV HOST=0.0.0.0\nCMD ["${node}", "/app/server.js"]\n`;
}

async function sharedLibraries(binary: string): Promise<string[]> {
  const { stdout } = await run('ldd', [binary]);
  // Lines look like "libm.so.6 => /lib/x86_64-linux-gnu/libm.so.6 (0x...)" or "/lib64/ld-linux-x86-64.so.2 (0x...)".
  return [...stdout.matchAll(/(\/[^\s)]+)\s+\(0x/g)].map((m) => m[1]!);
}

async function placeFile(source: string, target: string): Promise<void> {
  await mkdir(dirname(target), { recursive: true });
  const real = await realpath(source);
  // A hard link avoids copying node's ~100 MB when the artifacts live on the same filesystem.
  await link(real, target).catch(() => copyFile(real, target));
}

function followBuild(stream: NodeJS.ReadableStream): Promise<void> {
  return new Promise((resolve, reject) => {
    dockerClient().modem.followProgress(stream, (error: Error | null, output: { error?: string }[]) => {
      const failed = output?.find((line) => line.error);
      if (error) reject(error);
      else if (failed) reject(new Error(`docker build failed: ${failed.error}`));
      else resolve();
    });
  });
}
