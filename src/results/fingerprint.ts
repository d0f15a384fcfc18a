// The machine fingerprint stored with every result: enough to tell machines and architectures apart.
import { execFile } from 'node:child_process';
import os from 'node:os';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../paths.js';
import { toolVersions } from '../workloads/toolchain.js';
import type { Fingerprint, RuntimeStatus } from './types.js';

const run = promisify(execFile);

export type { Fingerprint } from './types.js';

export async function fingerprint(runtimes: RuntimeStatus[] = []): Promise<Fingerprint> {
  const tools = await toolVersions();
  const dockerVersion = runtimes.find((s) => s.runtime === 'docker' && s.available)?.version;
  const runtimeVersions: Record<string, string> = {
    ...Object.fromEntries(runtimes.filter((s) => s.available && s.version).map((s) => [s.runtime, s.version!])),
    ...(dockerVersion ? await dockerOciVersions() : {}),
  };
  return {
    hostname: os.hostname(),
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    arch: os.arch(),
    cores: os.cpus().length,
    memoryBytes: os.totalmem(),
    kernel: os.release(),
    os: `${os.type()} ${os.version()}`,
    node: process.version,
    ...(dockerVersion ? { docker: dockerVersion } : {}),
    ...tools,
    gitSha: await gitSha(),
    gitDirty: await gitDirty(),
    runtimeVersions,
  };
}

/** Each OCI runtime registered with dockerd, as "docker/crun": "crun version 1.8.1". */
async function dockerOciVersions(): Promise<Record<string, string>> {
  const [{ dockerClient }, { ociRuntimeVersions }] = await Promise.all([import('../runtimes/docker-client.js'), import('../runtimes/docker-oci.js')]);
  const versions = await ociRuntimeVersions(await dockerClient()).catch(() => ({}));
  return Object.fromEntries(Object.entries(versions).map(([name, version]) => [`docker/${name}`, version]));
}

async function gitSha(): Promise<string> {
  try {
    const { stdout } = await run('git', ['rev-parse', 'HEAD'], { cwd: PROJECT_ROOT });
    return stdout.trim();
  } catch {
    return 'unknown';
  }
}

async function gitDirty(): Promise<boolean | undefined> {
  try {
    const { stdout } = await run('git', ['status', '--porcelain', '--untracked-files=normal'], { cwd: PROJECT_ROOT });
    return stdout.trim().length > 0;
  } catch {
    return undefined;
  }
}
