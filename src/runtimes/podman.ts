// podman as a second container engine: the docker runtime's driver on podman's Docker-compatible
// service (rootful, /run/podman/podman.sock), with podman's own storage, conmon and crun.
import { PODMAN_ENGINE } from './container-engines.js';
import { containerRuntime } from './docker.js';

export const podman = containerRuntime(PODMAN_ENGINE, "a container per tenant, through podman's Docker-compatible service (conmon and crun; no containerd)");
