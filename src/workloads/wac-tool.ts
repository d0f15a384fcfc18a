// `wac` (crates.io wac-cli), the tool that links the pipeline's stage components into one. Built
// and cached by scripts/build-wac.sh (called from scripts/setup.sh); its version is pinned there.
import { execFile } from 'node:child_process';
import { access, readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../paths.js';

const run = promisify(execFile);
export const WAC_SCRIPT = join(PROJECT_ROOT, 'scripts', 'build-wac.sh');
export const WAC_FIX = 'run `bash scripts/build-wac.sh` (or `bash scripts/setup.sh`): it builds wac-cli with cargo into ~/.cache/coldbench';

/** The version scripts/build-wac.sh pins (its `WAC_VERSION=` line). */
export async function wacVersion(): Promise<string> {
  const script = await readFile(WAC_SCRIPT, 'utf8');
  const version = /^WAC_VERSION=([0-9][0-9.]*)$/m.exec(script)?.[1];
  if (!version) throw new Error(`${WAC_SCRIPT}: expected a line WAC_VERSION=X.Y.Z`);
  return version;
}

/** Where the build script puts wac; the path whether or not it is there yet. */
export async function wacPath(): Promise<string> {
  const cache = process.env.COLDBENCH_CACHE ?? join(homedir(), '.cache', 'coldbench');
  return join(cache, `wac-cli-${await wacVersion()}`, 'bin', 'wac');
}

/** The wac binary, or an error with the fix when it was not built. */
export async function requireWac(): Promise<string> {
  const wac = await wacPath();
  try {
    await access(wac);
    return wac;
  } catch {
    throw new Error(`wac is not built (${wac}); ${WAC_FIX}`);
  }
}

/** `wac plug`: the socket component's imports satisfied by the plugs' exports, into `output`. */
export async function wacPlug(socket: string, plugs: string[], output: string): Promise<void> {
  const wac = await requireWac();
  try {
    await run(wac, ['plug', socket, ...plugs.flatMap((plug) => ['--plug', plug]), '-o', output]);
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim().split('\n').slice(0, 5).join(' | ');
    throw new Error(`wac plug failed: ${stderr || (error as Error).message}`);
  }
}
