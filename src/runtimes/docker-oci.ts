// The OCI runtimes dockerd can start containers with (runc, its default; crun; gVisor's runsc):
// whether each is registered with the engine, its version, and why one fails here with the fix.
// One engine client serves every question, so another engine on the Docker API (podman) can ask
// the same ones of its own socket.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type Docker from 'dockerode';
import type { Availability, Check } from './types.js';

const run = promisify(execFile);

export const OCI_RUNTIMES = ['runc', 'crun', 'runsc'] as const;
export type OciRuntime = (typeof OCI_RUNTIMES)[number];
export const DEFAULT_OCI_RUNTIME: OciRuntime = 'runc';

const SETUP = '`bash scripts/setup.sh`';
const PACKAGE: Record<OciRuntime, string> = { runc: 'runc', crun: 'crun', runsc: 'runsc' };

/** What the engine knows of its OCI runtimes: name -> binary path (docker info's Runtimes). */
export async function registeredRuntimes(engine: Docker): Promise<Record<string, string>> {
  const info = (await engine.info()) as { Runtimes?: Record<string, { path?: string }> };
  return Object.fromEntries(Object.entries(info.Runtimes ?? {}).map(([name, r]) => [name, r.path ?? name]));
}

/** The first line of `<binary> --version` ("crun version 1.8.1"), or undefined when it does not run. */
export async function ociRuntimeVersion(binary: string): Promise<string | undefined> {
  try {
    const { stdout } = await run(binary, ['--version'], { timeout: 10_000 });
    return stdout.split('\n')[0]?.trim() || undefined;
  } catch {
    return undefined;
  }
}

/** Whether the engine can use this OCI runtime: installed and registered (not yet tried on a container). */
export async function ociRuntimeAvailability(engine: Docker, name: OciRuntime): Promise<Availability> {
  const registered = await registeredRuntimes(engine);
  const binary = registered[name];
  if (!binary) {
    return {
      available: false,
      reason: `the Docker engine has no OCI runtime "${name}" registered (daemon.json "runtimes")`,
      fix: `${SETUP} (installs ${PACKAGE[name]}, registers it in /etc/docker/daemon.json and restarts dockerd when no run has tenants up)`,
    };
  }
  const version = await ociRuntimeVersion(binary);
  if (!version) {
    return { available: false, reason: `${name} is registered as ${binary}, which does not run`, fix: `apt-get install ${PACKAGE[name]}, then ${SETUP}` };
  }
  return { available: true, version };
}

/** Every registered OCI runtime's version, e.g. { runc: "runc version 1.1.5+ds1" } (for the fingerprint). */
export async function ociRuntimeVersions(engine: Docker): Promise<Record<string, string>> {
  const versions: Record<string, string> = {};
  const registered = await registeredRuntimes(engine);
  for (const name of OCI_RUNTIMES) {
    const version = registered[name] ? await ociRuntimeVersion(registered[name]) : undefined;
    if (version) versions[name] = version;
  }
  return versions;
}

/** Known failures of an OCI runtime on a machine like this one, each with its exact fix. */
const KNOWN_FAILURES: { pattern: RegExp; fix: string }[] = [
  {
    pattern: /cgroups in hybrid mode not supported/,
    fix: `move the controllers out of the cgroup v2 hierarchy: mkdir -p /sys/fs/cgroup/hugetlb && mount -t cgroup -o hugetlb cgroup /sys/fs/cgroup/hugetlb (${SETUP} does it for every controller listed in /sys/fs/cgroup/unified/cgroup.controllers; never unmount it)`,
  },
  {
    pattern: /cannot run with network enabled in root network namespace/,
    fix: `register runsc with "runtimeArgs": ["--network=host"] in /etc/docker/daemon.json and restart dockerd (${SETUP} writes it)`,
  },
  { pattern: /unknown or invalid runtime name/, fix: `${SETUP} (registers the runtime in /etc/docker/daemon.json and restarts dockerd)` },
];

export function fixFor(message: string): string {
  return KNOWN_FAILURES.find((k) => k.pattern.test(message))?.fix ?? `see the engine's message; ${SETUP} sets up every runtime it knows`;
}

/**
 * Starts a container of `image` with this OCI runtime and removes it: undefined when it started,
 * else the engine's own message. What `doctor` uses to say whether a runtime works here.
 */
export async function tryOciRuntime(engine: Docker, name: OciRuntime, image: string, labels: Record<string, string>): Promise<string | undefined> {
  let container: Docker.Container | undefined;
  try {
    container = await engine.createContainer({
      Image: image,
      Labels: labels,
      // A port nobody probes: the container only has to start.
      Env: ['PORT=1', 'HOST=127.0.0.1'],
      HostConfig: { NetworkMode: 'host', Runtime: name },
    });
    await container.start();
    return undefined;
  } catch (error) {
    const e = error as { json?: { message?: string }; message?: string };
    return (e.json?.message ?? e.message ?? String(error)).trim();
  } finally {
    await container?.remove({ force: true }).catch(() => undefined);
  }
}

/**
 * Per OCI runtime: registered and installed, then tried on a container of a coldbench image
 * already built here (the smallest), so that a runtime that is registered but fails on this
 * kernel says why and how to fix it.
 */
export async function ociRuntimeChecks(engine: Docker, labels: Record<string, string>): Promise<Check[]> {
  const images = await engine.listImages({ filters: { label: ['coldbench.workload'] } });
  const image = images.sort((a, b) => a.Size - b.Size)[0]?.RepoTags?.[0];
  const checks: Check[] = [];
  for (const name of OCI_RUNTIMES) {
    const availability = await ociRuntimeAvailability(engine, name);
    if (!availability.available) {
      checks.push({ name: `docker ${name}`, ok: false, detail: availability.reason, fix: availability.fix });
      continue;
    }
    const failure = image ? await tryOciRuntime(engine, name, image, labels) : undefined;
    checks.push(
      failure
        ? { name: `docker ${name}`, ok: false, detail: `${availability.version}, but a container fails to start: ${failure}`, fix: fixFor(failure) }
        : {
            name: `docker ${name}`,
            ok: true,
            detail: `${availability.version}${image ? ` (started ${image})` : ' (not tried: no image built yet; `coldbench build` builds one)'}`,
          },
    );
  }
  return checks;
}
