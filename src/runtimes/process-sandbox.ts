// The sandboxed process tenant (process.sandbox: bubblewrap): the same server app, started by
// bwrap as an unprivileged user (nobody, when the harness is root) in its own user, pid, ipc, uts
// and cgroup namespaces, with an empty environment (PORT and HOST only), a read-only root that
// holds only the app's folder, the executable and its shared libraries, a private /tmp, no
// capabilities, a new session, and a seccomp filter that refuses outgoing connections, datagram
// and raw sockets and io_uring. It keeps the host's network namespace so that it can listen on
// 127.0.0.1 for the harness: what it gives up is a network of its own (it still sees the host's
// interfaces and can bind any free port), which a port forward would buy at a cost per request.
import { type ChildProcess, execFile } from 'node:child_process';
import { existsSync, realpathSync, writeFileSync } from 'node:fs';
import { arch } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../paths.js';
import { findProcesses } from '../sys/proc.js';
import { pythonRuntime } from '../workloads/python-image.js';
import { DEBIAN_PYTHON } from '../workloads/python-toolchain.js';
import { stopChild } from './child.js';
import { ensurePrivateDir, privateStateRoot } from './private-dir.js';
import { processTrees } from './process-tree.js';
import { type SeccompArch, seccompFilter } from './seccomp-filter.js';
import type { Availability } from './types.js';

const run = promisify(execFile);

export const PROCESS_SANDBOXES = ['none', 'bubblewrap'] as const;
export type ProcessSandbox = (typeof PROCESS_SANDBOXES)[number];

/** The user a root harness runs sandboxed tenants as. */
const NOBODY = 65534;

const SANDBOX_FIX = "run `bash scripts/setup.sh` (it installs Debian's bubblewrap), or `sudo apt-get install -y bubblewrap`";

let availability: Promise<Availability> | undefined;
/** Whether bwrap is installed and can make the sandbox's namespaces as the tenant's user (checked once). */
export function bubblewrapAvailable(): Promise<Availability> {
  availability ??= (async (): Promise<Availability> => {
    const version = await run('bwrap', ['--version']).catch(() => undefined);
    if (!version) return { available: false, reason: 'bubblewrap (bwrap) is not installed', fix: SANDBOX_FIX };
    // A root harness starts its sandboxes as nobody, who must reach the apps under the project.
    if (process.getuid?.() === 0 && !(await nobodyReaches(PROJECT_ROOT))) {
      return {
        available: false,
        reason: `nobody, the user a sandbox started by root runs as, cannot reach ${PROJECT_ROOT}`,
        fix: "let others into the project's folder and every folder above it (`chmod o+x` on each), or run coldbench as a user who is not root",
      };
    }
    let argv: string[];
    try {
      argv = (await sandboxArgv(['/bin/true'], {}, '/')).argv;
    } catch (error) {
      // The seccomp filter goes into this user's private state folder: not writable, no sandbox.
      return {
        available: false,
        reason: `cannot write the sandbox's seccomp filter: ${(error as Error).message}`,
        fix: `make \`${privateStateRoot()}\` a folder this user owns and can write (or point COLDBENCH_CACHE at one)`,
      };
    }
    try {
      await run(argv[0]!, argv.slice(1), { timeout: 10_000 });
      return { available: true, version: version.stdout.trim() };
    } catch (error) {
      const message = ((error as { stderr?: string }).stderr || (error as Error).message).trim().split('\n').at(-1);
      return {
        available: false,
        reason: `bwrap cannot make its namespaces as an unprivileged user here: ${message}`,
        fix: 'enable unprivileged user namespaces: `sudo sysctl -w user.max_user_namespaces=10000`',
      };
    }
  })();
  return availability;
}

/** Whether nobody can reach `path` (search permission on it and every folder above it). */
export function nobodyReaches(path: string): Promise<boolean> {
  return run('setpriv', [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', 'test', '-x', path]).then(
    () => true,
    () => false,
  );
}

const libraries = new Map<string, Promise<string[]>>();
/** The executable and the shared libraries it loads (ldd), each once: what the sandbox must show it.
 *  Debian's python3 also needs its standard library and the libraries its extension modules load. */
function filesOf(executable: string): Promise<string[]> {
  let found = libraries.get(executable);
  if (!found) {
    const linked = run('ldd', [executable]).then(
      ({ stdout }) => [executable, ...[...stdout.matchAll(/(?:=> )?(\/\S+) \(0x/g)].map((m) => m[1]!)],
      () => [executable], // static: "not a dynamic executable"
    );
    const python = existsSync(DEBIAN_PYTHON) && executable === realpathSync(DEBIAN_PYTHON);
    found = python ? Promise.all([linked, pythonRuntime()]).then(([files, runtime]) => [...files, runtime.stdlibDir, ...runtime.libraries]) : linked;
    libraries.set(executable, found);
  }
  return found;
}

let filterFile: string | undefined;
/** The seccomp filter, written once into this user's private directory (nobody else can swap it). */
function seccompFile(): string {
  if (!filterFile) {
    const cpu: SeccompArch | undefined = arch() === 'x64' ? 'x64' : arch() === 'arm64' ? 'arm64' : undefined;
    if (!cpu) throw new Error(`process.sandbox: bubblewrap: no seccomp filter for ${arch()} (x64 and arm64 only)`);
    const file = join(ensurePrivateDir(join(privateStateRoot(), 'sandbox')), `seccomp-${cpu}.bpf`);
    writeFileSync(file, seccompFilter(cpu), { mode: 0o600 });
    filterFile = file;
  }
  return filterFile;
}

/**
 * The argv that runs `command` in the sandbox with only `env` in its environment; `appDir` is
 * bound read-only and is its working directory. A shell opens the seccomp filter on fd 3 and
 * execs (the pid stays the sandbox's), setpriv drops a root harness's user to nobody, then bwrap.
 */
export async function sandboxArgv(command: string[], env: Record<string, string>, appDir: string): Promise<{ argv: string[] }> {
  const executable = realpathSync(command[0]!);
  const binds = [...new Set([...(await filesOf(executable)), ...(existsSync('/etc/ld.so.cache') ? ['/etc/ld.so.cache'] : [])])];
  const root = process.getuid?.() === 0;
  const bwrap = [
    'bwrap',
    '--unshare-user',
    '--unshare-pid',
    '--unshare-ipc',
    '--unshare-uts',
    '--unshare-cgroup-try',
    '--hostname',
    'tenant',
    '--die-with-parent',
    '--new-session',
    '--cap-drop',
    'ALL',
    '--clearenv',
    ...Object.entries(env).flatMap(([name, value]) => ['--setenv', name, value]),
    '--proc',
    '/proc',
    '--dev',
    '/dev',
    '--tmpfs',
    '/tmp',
    ...binds.flatMap((file) => ['--ro-bind', file, file]),
    ...(appDir === '/' ? [] : ['--ro-bind', appDir, appDir]),
    '--remount-ro',
    '/',
    '--chdir',
    appDir,
    '--seccomp',
    '3',
    executable,
    ...command.slice(1),
  ];
  const asUser = root ? ['setpriv', `--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', '--inh-caps=-all', '--'] : [];
  return { argv: ['sh', '-c', 'f=$1; shift; exec "$@" 3<"$f"', 'sandbox', seccompFile(), ...asUser, ...bwrap] };
}

/**
 * Stops a sandboxed tenant and everything in it. Stopping bwrap alone is not enough: seen here
 * under heavy load, a sandbox torn down while it was still starting kept its init (its
 * --die-with-parent not yet in force) and the app, which held the harness's pipes open. So every
 * process of its tree is killed, the init first (killing a pid namespace's init kills all in it);
 * when bwrap had no child yet at that moment (it may make one meanwhile), its processes are found
 * by the run marker and the port they were given, a scan of /proc kept for that rare case.
 */
export async function stopSandbox(child: ChildProcess, runId: string, port: number): Promise<void> {
  const [tree = []] = child.pid ? await processTrees([child.pid]) : [];
  for (const pid of tree.slice(1)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone already
    }
  }
  await stopChild(child, 500);
  if (tree.length > 1) return;
  const mine = await findProcesses(
    (argv) => argv[0] === 'bwrap' && argv.includes(`--coldbench-run=${runId}`) && argv.join(' ').includes(`--setenv PORT ${port} `),
  );
  for (const { pid } of mine) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone already
    }
  }
}
