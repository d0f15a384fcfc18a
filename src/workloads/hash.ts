// Content hashes that key the artifact cache: the sources that go into an artifact plus the
// versions of the tools that build it.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';

export async function hashInputs(files: string[], extra: Record<string, string>): Promise<string> {
  const hash = createHash('sha256');
  for (const file of files) {
    hash
      .update(file.split('/').pop()!)
      .update('\0')
      .update(await readFile(file))
      .update('\0');
  }
  for (const [key, value] of Object.entries(extra).sort()) hash.update(`${key}=${value}\0`);
  return hash.digest('hex').slice(0, 16);
}
