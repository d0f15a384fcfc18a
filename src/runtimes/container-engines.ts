// The container engines coldbench drives through the Docker engine API: dockerd, and podman's
// Docker-compatible service. One driver serves both (docker.ts); what differs is here: the socket,
// the words and fix for an engine that does not answer, the daemons whose memory grows with the
// containers, what every container needs on this engine, and how a built image gets into it.
import type Docker from 'dockerode';
import type { OciRuntime } from './docker-oci.js';
import { type Checkpoints, DOCKER_CHECKPOINTS } from './docker-start-models.js';
import { PODMAN_CHECKPOINTS } from './podman-checkpoints.js';

export interface ContainerEngine {
  /** The runtime's name, and the first word of its doctor checks. */
  name: 'docker' | 'podman';
  /** "the Docker engine", in messages. */
  title: string;
  /** "Docker engine", before its version. */
  product: string;
  /** What installs and starts the engine (doctor's fix when it does not answer). */
  installFix: string;
  socketPath(): string;
  /** What starts the engine again. */
  fix: string;
  /** The engine's own processes (argv[0]), whose memory grows with every container. */
  daemons: RegExp;
  defaultOciRuntime: OciRuntime;
  /** Set on every container this engine creates. */
  hostConfig: Docker.HostConfig;
  /** Images are built into dockerd; an engine with storage of its own loads them from there. */
  importsImages: boolean;
  /** The restore start model's checkpoint and restore. */
  checkpoints: Checkpoints;
}

export const DOCKER_ENGINE: ContainerEngine = {
  name: 'docker',
  title: 'the Docker engine',
  product: 'Docker engine',
  installFix: 'run `bash scripts/setup.sh` (installs docker.io and starts the engine: systemctl where systemd runs, else dockerd)',
  socketPath() {
    const host = process.env.DOCKER_HOST;
    return host?.startsWith('unix://') ? host.slice('unix://'.length) : '/var/run/docker.sock';
  },
  fix: '`bash scripts/setup.sh` starts it again',
  daemons: /(^|\/)(dockerd|containerd)$/,
  defaultOciRuntime: 'runc',
  hostConfig: {},
  importsImages: false,
  checkpoints: DOCKER_CHECKPOINTS,
};

export const PODMAN_SOCKET = '/run/podman/podman.sock';

export const PODMAN_ENGINE: ContainerEngine = {
  name: 'podman',
  title: 'the podman service',
  product: 'podman service',
  installFix: "run `bash scripts/setup.sh` (installs Debian's podman and starts its Docker-compatible service when a scenario names podman)",
  socketPath: () => process.env.COLDBENCH_PODMAN_SOCKET ?? PODMAN_SOCKET,
  fix: `\`bash scripts/setup.sh\` starts it (podman system service --time=0 unix://${PODMAN_SOCKET})`,
  daemons: /(^|\/)podman$/,
  // podman's own default.
  defaultOciRuntime: 'crun',
  // podman's default ulimits exceed the hard limits of machines like this one, and crun then
  // refuses to start ("setrlimit RLIMIT_NOFILE: Operation not permitted").
  hostConfig: {
    Ulimits: [
      { Name: 'nofile', Soft: 4096, Hard: 4096 },
      { Name: 'nproc', Soft: 4096, Hard: 4096 },
    ],
  },
  importsImages: true,
  checkpoints: PODMAN_CHECKPOINTS,
};

export const CONTAINER_ENGINES = [DOCKER_ENGINE, PODMAN_ENGINE] as const;
