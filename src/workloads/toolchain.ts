// Versions of the tools that build and run artifacts: part of cache keys and of the fingerprint.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../paths.js';

/** A dependency's folder (some packages do not export their package.json, so no require.resolve). */
export function packageDir(name: string): string {
  return join(PROJECT_ROOT, 'node_modules', name);
}

async function packageVersion(name: string): Promise<string> {
  try {
    const json = JSON.parse(await readFile(join(packageDir(name), 'package.json'), 'utf8')) as { version: string };
    return json.version;
  } catch {
    return 'unknown';
  }
}

export async function toolVersions(): Promise<{ jco: string; componentizeJs: string; preview2Shim: string }> {
  return {
    jco: await packageVersion('@bytecodealliance/jco'),
    componentizeJs: await packageVersion('@bytecodealliance/componentize-js'),
    preview2Shim: await packageVersion('@bytecodealliance/preview2-shim'),
  };
}
