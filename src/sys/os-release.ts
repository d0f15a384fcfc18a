// Which distribution this is (/etc/os-release), so that a fix names the package of this machine's
// package manager: Debian 12 and Ubuntu 24.04 name most things alike, not everything.
import { readFile } from 'node:fs/promises';

export interface OsRelease {
  /** "debian", "ubuntu", … (ID); "unknown" when the file is missing. */
  id: string;
  /** "12", "24.04", … (VERSION_ID). */
  version: string;
  /** "Debian GNU/Linux 12 (bookworm)" (PRETTY_NAME). */
  pretty: string;
}

/** Pure: the KEY=value lines of os-release(5), quotes removed. */
export function parseOsRelease(text: string): OsRelease {
  const fields = new Map<string, string>();
  for (const line of text.split('\n')) {
    const match = /^([A-Z_]+)=(.*)$/.exec(line.trim());
    if (match) fields.set(match[1]!, match[2]!.replace(/^(["'])(.*)\1$/, '$2'));
  }
  const id = fields.get('ID') ?? 'unknown';
  return { id, version: fields.get('VERSION_ID') ?? '', pretty: fields.get('PRETTY_NAME') ?? id };
}

export async function osRelease(file = '/etc/os-release'): Promise<OsRelease> {
  return parseOsRelease(await readFile(file, 'utf8').catch(() => ''));
}
