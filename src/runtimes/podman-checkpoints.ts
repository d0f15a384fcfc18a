// podman's checkpoint and restore (`podman container checkpoint/restore`): its Docker-compatible
// API has no checkpoint endpoints, so they go to its libpod API on the same socket.
import type Docker from 'dockerode';
import type { Checkpoints } from './docker-start-models.js';

const LIBPOD = '/v4.0.0/libpod/containers';

/** A POST to podman's libpod API through dockerode's connection; rejects with the engine's message. */
function libpod(container: Docker.Container, action: 'checkpoint' | 'restore'): Promise<unknown> {
  const modem = (container as unknown as { modem: { dial(o: object, cb: (error: unknown, data: unknown) => void): void } }).modem;
  return new Promise((resolve, reject) => {
    modem.dial(
      {
        path: `${LIBPOD}/${encodeURIComponent(container.id)}/${action}?`,
        method: 'POST',
        // keep: the checkpoint stays on disk (and the container known) for restore.
        options: { keep: true },
        statusCodes: { 200: true, 204: true, 404: 'no such container', 500: 'server error' },
      },
      (error, data) => (error ? reject(error) : resolve(data)),
    );
  });
}

export const PODMAN_CHECKPOINTS: Checkpoints = {
  checkpoint: (container) => libpod(container, 'checkpoint'),
  restore: (container) => libpod(container, 'restore'),
};
