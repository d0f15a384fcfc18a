// Images are built into dockerd (workloads/build-image.ts); an engine with storage of its own
// (podman) loads the same image, tag and all, from a `docker save` stream: one build, the same
// bytes on both engines. Done once per tag and process, before any measured window.
import type Docker from 'dockerode';
import { dockerClient } from './docker-client.js';

const loaded = new Map<string, Promise<void>>();

export function imageInto(engine: Docker, tag: string): Promise<void> {
  let done = loaded.get(tag);
  if (!done) {
    done = load(engine, tag);
    loaded.set(tag, done);
    done.catch(() => loaded.delete(tag)); // a failed load is tried again
  }
  return done;
}

async function load(engine: Docker, tag: string): Promise<void> {
  const present = await engine
    .getImage(tag)
    .inspect()
    .then(
      () => true,
      (error: { statusCode?: number }) => (error.statusCode === 404 ? false : Promise.reject(error)),
    );
  if (present) return;
  const saved = await (await dockerClient()).getImage(tag).get();
  const answer = await engine.loadImage(saved);
  // The engine answers with a JSON stream; an error is a line of it, not a status.
  const text = await new Promise<string>((resolve, reject) => {
    const parts: Buffer[] = [];
    answer.on('data', (chunk: Buffer) => parts.push(chunk));
    answer.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    answer.on('error', reject);
  });
  const failed = /"error"\s*:\s*"([^"]*)"/.exec(text)?.[1];
  if (failed) throw new Error(`loading image ${tag} from dockerd failed: ${failed}`);
}
