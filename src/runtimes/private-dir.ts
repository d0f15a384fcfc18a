// A directory only this user can use (mode 0700, owned by this uid, not a symlink): where state
// that other local users must not pre-create, fill or read lives (the port locks).
import { chmodSync, lstatSync, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where this user's private coldbench state goes: $XDG_RUNTIME_DIR when the session has one, else ~/.cache/coldbench. */
export function privateStateRoot(env: NodeJS.ProcessEnv = process.env): string {
  return env.XDG_RUNTIME_DIR ? join(env.XDG_RUNTIME_DIR, 'coldbench') : (env.COLDBENCH_CACHE ?? join(homedir(), '.cache', 'coldbench'));
}

/**
 * Creates `dir` (and its parents) mode 0700 if missing, and checks that it is this user's own:
 * a real directory, owned by this uid. One we own with looser permissions is tightened; one
 * another user owns, or a symlink, is refused (it could be pre-created to steer or fill it).
 */
export function ensurePrivateDir(dir: string): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const stat = lstatSync(dir);
  const uid = process.getuid?.();
  if (stat.isSymbolicLink() || !stat.isDirectory())
    throw new Error(`${dir}: expected a directory of this user's own, found ${stat.isSymbolicLink() ? 'a symlink' : 'a file'}; remove it`);
  if (uid !== undefined && stat.uid !== uid) {
    throw new Error(
      `${dir}: expected a directory owned by this user (uid ${uid}), found one owned by uid ${stat.uid}; remove it, or set COLDBENCH_PORT_LOCKS to a directory of your own`,
    );
  }
  if ((stat.mode & 0o077) !== 0) chmodSync(dir, 0o700);
  return dir;
}
