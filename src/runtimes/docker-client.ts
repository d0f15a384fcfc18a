// One dockerode client per engine for the whole process, on its local socket (DOCKER_HOST is
// honoured when it names a unix socket). dockerode is loaded on first use: commands that never
// talk to an engine (help, report, compare) do not pay for it.

import { setTimeout as sleep } from 'node:timers/promises';
import type Docker from 'dockerode';
import { type ContainerEngine, DOCKER_ENGINE } from './container-engines.js';

const clients = new Map<string, Promise<Docker>>();

export function engineClient(engine: ContainerEngine): Promise<Docker> {
  let client = clients.get(engine.name);
  if (!client) {
    client = import('dockerode').then(({ default: DockerClass }) => new DockerClass({ socketPath: engine.socketPath() }));
    clients.set(engine.name, client);
  }
  return client;
}

export const dockerClient = (): Promise<Docker> => engineClient(DOCKER_ENGINE);

const UNREACHABLE = new Set(['ENOENT', 'ECONNREFUSED', 'ECONNRESET', 'EPIPE']);

/** An engine error as one clear line: an engine that stopped answering says so, anything else is kept. */
export function engineError(error: unknown, engine: ContainerEngine = DOCKER_ENGINE): Error {
  const e = error as NodeJS.ErrnoException;
  if (UNREACHABLE.has(e?.code ?? '') || /socket hang up/.test(e?.message ?? '')) {
    return new Error(`${engine.title} stopped answering (${e.code ?? e.message}); ${engine.fix}, \`coldbench clean\` then removes what the run left`);
  }
  // dockerode's errors carry the engine's status and its own message (`json.message`).
  const status = (error as { statusCode?: number }).statusCode;
  if (status !== undefined && status >= 500) {
    const reason = ((error as { json?: { message?: string } }).json?.message ?? e.message).trim();
    return new Error(`${engine.title} failed (HTTP ${status}: ${reason}); if it is stopping or wedged, ${engine.fix}`);
  }
  return e instanceof Error ? e : new Error(String(e));
}

export const RUN_LABEL = 'coldbench.run';
export const OWNER_LABEL = 'coldbench.owner';

/**
 * Resolves with "exited with code N: <its last log lines>" once the container has stopped. The
 * engine is asked only after a second, then four times a second: cold starts that take less cost
 * it nothing, and a container that died at start is still reported in about a second.
 */
export async function containerExit(container: Docker.Container, signal: AbortSignal): Promise<string> {
  for (let wait = 1000; ; wait = 250) {
    await sleep(wait, undefined, { signal });
    const { State: state } = await container.inspect({ abortSignal: signal } as object);
    if (state.Running || state.Status === 'created') continue;
    const logs = await container.logs({ stdout: true, stderr: true, tail: 5, follow: false, abortSignal: signal } as { follow: false });
    const last = demuxedText(logs)
      .trim()
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .join(' | ');
    const how = state.OOMKilled ? 'was killed for lack of memory' : `exited with code ${state.ExitCode}`;
    return last ? `${how}: ${last}` : how;
  }
}

/** The text of a non-TTY container's log stream: frames of an 8-byte header (stream, size) and a payload. */
export function demuxedText(stream: Buffer): string {
  const parts: Buffer[] = [];
  for (let at = 0; at + 8 <= stream.length; ) {
    const size = stream.readUInt32BE(at + 4);
    parts.push(stream.subarray(at + 8, at + 8 + size));
    at += 8 + size;
  }
  return Buffer.concat(parts).toString('utf8');
}
