// The machine fingerprint stored with every result: enough to tell machines and architectures apart.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import os from 'node:os';
import { PROJECT_ROOT } from '../paths.js';
import { toolVersions } from '../workloads/toolchain.js';

const run = promisify(execFile);

export interface Fingerprint {
  hostname: string;
  cpuModel: string;
  arch: string;
  cores: number;
  memoryBytes: number;
  kernel: string;
  os: string;
  node: string;
  docker?: string;
  jco: string;
  componentizeJs: string;
  preview2Shim: string;
  gitSha: string;
}

export async function fingerprint(dockerVersion?: string): Promise<Fingerprint> {
  const tools = await toolVersions();
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
  };
}

async function gitSha(): Promise<string> {
  try {
    const { stdout } = await run('git', ['rev-parse', 'HEAD'], { cwd: PROJECT_ROOT });
    return stdout.trim();
  } catch {
    return 'unknown';
  }
}
