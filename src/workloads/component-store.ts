// The components Wasm hosts may load: `<COMPONENTS_DIR>/<sha256 of component.wasm>` links to the
// component's build directory. Hosts receive the directory at start and resolve a request's
// sha256 under it, so a control request can name only something the harness built.
import { mkdir, readlink, rename, rm, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { COMPONENTS_DIR } from '../paths.js';
import { COMPONENT_SHA256 } from '../wasm-host/protocol.js';

/** Makes the component built in `buildDir` loadable by hosts under its sha256. */
export async function publishComponent(sha256: string, buildDir: string, store = COMPONENTS_DIR): Promise<void> {
  if (!COMPONENT_SHA256.test(sha256)) throw new Error(`component sha256: expected 64 hex digits, got ${JSON.stringify(sha256)}`);
  const link = join(store, sha256);
  if (
    await readlink(link).then(
      (target) => target === buildDir,
      () => false,
    )
  )
    return;
  await mkdir(store, { recursive: true });
  // A temporary link renamed into place: a host never sees a half-made entry.
  const temporary = `${link}.${process.pid}.tmp`;
  await rm(temporary, { force: true });
  await symlink(buildDir, temporary, 'dir');
  await rename(temporary, link);
}
