// One dockerode client for the whole process, on the local engine socket (DOCKER_HOST is honoured
// when it names a unix socket). dockerode is loaded on first use: commands that never talk to the
// engine (help, report, compare) do not pay for it.
import type Docker from 'dockerode';

let client: Promise<Docker> | undefined;

export function dockerClient(): Promise<Docker> {
  client ??= import('dockerode').then(({ default: DockerClass }) => {
    const host = process.env.DOCKER_HOST;
    const socketPath = host?.startsWith('unix://') ? host.slice('unix://'.length) : '/var/run/docker.sock';
    return new DockerClass({ socketPath });
  });
  return client;
}

export const RUN_LABEL = 'coldbench.run';
export const OWNER_LABEL = 'coldbench.owner';
