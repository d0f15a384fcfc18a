// One dockerode client for the whole process, on the local engine socket (DOCKER_HOST is honoured
// when it names a unix socket).
import Docker from 'dockerode';

let client: Docker | undefined;

export function dockerClient(): Docker {
  if (!client) {
    const host = process.env.DOCKER_HOST;
    const socketPath = host?.startsWith('unix://') ? host.slice('unix://'.length) : '/var/run/docker.sock';
    client = new Docker({ socketPath });
  }
  return client;
}

export const RUN_LABEL = 'coldbench.run';
export const OWNER_LABEL = 'coldbench.owner';
