// Target platforms: the machine's own, or a foreign CPU architecture run under emulation
// (qemu-user-static through binfmt_misc). A scenario's `platforms` list measures every runtime
// once per platform; each sample says which architecture it ran on and whether it was emulated.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../paths.js';

const run = promisify(execFile);

/** The platforms a scenario may name (Docker's spelling). */
export const PLATFORM_NAMES = ['linux/amd64', 'linux/arm64'] as const;
export type PlatformName = (typeof PLATFORM_NAMES)[number];

export interface Platform {
  name: PlatformName;
  /** Docker's architecture name: amd64, arm64. */
  arch: string;
  /** True when this machine runs it through an emulator: timings are not hardware timings. */
  emulated: boolean;
  /** The node binary for this platform (the host's own, or the foreign one the set-up fetched). */
  node: string;
}

/** Docker's name for Node's process.arch. */
const DOCKER_ARCH: Record<string, string> = { x64: 'amd64', arm64: 'arm64', riscv64: 'riscv64' };
export const hostArch = (): string => DOCKER_ARCH[process.arch] ?? process.arch;

export function hostPlatform(): Platform {
  return { name: `linux/${hostArch()}` as PlatformName, arch: hostArch(), emulated: false, node: process.execPath };
}

/** How each foreign architecture is set up on an x86-64 machine (idempotent, installs only what is missing). */
const SETUP: Record<string, string> = { arm64: join(PROJECT_ROOT, 'scripts', 'setup-arm64.sh') };

/**
 * The platform ready to run: the host's as it is; a foreign one after its set-up script has
 * installed what is missing (emulator, libraries, node). Throws with the script's own line.
 */
export async function preparePlatform(name: PlatformName): Promise<Platform> {
  const arch = name.split('/')[1]!;
  if (arch === hostArch()) return hostPlatform();
  const script = SETUP[arch];
  if (!script || hostArch() !== 'amd64')
    throw new Error(`${name} cannot be emulated on this ${hostArch()} machine (emulation is set up for arm64 on amd64 only)`);
  try {
    const { stdout } = await run('bash', [script, '--print-node'], { timeout: 900_000 });
    return { name, arch, emulated: true, node: stdout.trim().split('\n').pop()! };
  } catch (error) {
    const detail = (error as { stderr?: string }).stderr?.trim().split('\n').pop() ?? (error as Error).message;
    throw new Error(`cannot set up ${name}: ${detail}`);
  }
}

/** Environment for a child on this platform: emulated Node pays 1–2 s per start to load extra CA certificates, which no server here needs. */
export function platformEnv(platform: Platform | undefined): Record<string, string | undefined> {
  return platform?.emulated ? { NODE_EXTRA_CA_CERTS: undefined } : {};
}

/** Emulated starts take seconds where native ones take milliseconds: timeouts scale by this. */
export const timeoutScale = (platform: Platform | undefined): number => (platform?.emulated ? 10 : 1);
