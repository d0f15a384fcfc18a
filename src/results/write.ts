// Files are written atomically (temp file + rename in the same folder), so a reader or a crash
// never sees half a file: results after every unit, reports, schemas.
import { renameSync, writeFileSync } from 'node:fs';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { UserError } from '../errors.js';

/**
 * `mkdir -p` that fails instead of looping: Node's recursive mkdir spins for ever where the
 * kernel answers ENOENT under a folder that exists (`--out /proc/x`).
 */
export async function makeDirectories(dir: string): Promise<void> {
  try {
    await mkdir(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return;
    if (code !== 'ENOENT' || dirname(dir) === dir) throw error;
    await makeDirectories(dirname(dir)); // the parent is missing: make it, then try this one once more
    await mkdir(dir).catch((again: NodeJS.ErrnoException) => {
      if (again.code !== 'EEXIST') throw again;
    });
  }
}

/** Checks, before anything starts, that files can be written in `dir` (made if missing): one line naming the option otherwise. */
export async function checkWritableDirectory(option: string, dir: string): Promise<void> {
  const path = resolve(dir);
  try {
    await makeDirectories(path);
    if (!(await stat(path)).isDirectory()) throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
    // Root passes access(W_OK) in /proc: only writing a file says whether one can be written.
    const probe = join(path, `.coldbench-write-check-${process.pid}`);
    await writeFile(probe, '');
    await rm(probe, { force: true });
  } catch (error) {
    throw new UserError(
      `${option}: cannot write files in ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); expected a folder this user can write`,
    );
  }
}

/**
 * The temporary file a process writes before renaming it over `file` (a kill -9 in between leaves
 * it behind). The synchronous writer has its own, so an asynchronous write still in flight when
 * it runs cannot write into the file it renames.
 */
export function temporaryFile(file: string, pid = process.pid, sync = false): string {
  return `${file}.${pid}${sync ? '.now' : ''}.tmp`;
}

export async function writeFileAtomic(file: string, content: string): Promise<void> {
  await makeDirectories(dirname(file));
  const tmp = temporaryFile(file);
  try {
    await writeFile(tmp, content);
    await rename(tmp, file);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
}

export async function writeJsonAtomic(file: string, value: unknown): Promise<void> {
  await writeFileAtomic(file, `${JSON.stringify(value, null, 2)}\n`);
}

/** For a process about to exit at once (a second Ctrl-C), into a folder that exists. */
export function writeJsonAtomicSync(file: string, value: unknown): void {
  const tmp = temporaryFile(file, process.pid, true);
  writeFileSync(tmp, `${JSON.stringify(value, null, 2)}\n`);
  renameSync(tmp, file);
}
