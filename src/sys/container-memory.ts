// Memory a container costs the host, by method: its cgroup's memory without page cache (what
// `docker stats` shows), the PSS of its containerd shim, and, in bridge mode, the PSS of the
// docker-proxy that publishes its port. The cgroup is found from the container's init process,
// which works for cgroup v1 and v2 and for any cgroup parent.
// The PSS of what the OCI runtime left running under the shim is read too (runc, crun: the
// workload's own processes; runsc: the sandbox, its gofer and the workload inside the sandbox):
// the cgroup is not charged for pages another cgroup touched first (the host's node binary, for
// one), so only PSS compares like with like against a bare process.
import { readdir, readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { cgroupMemoryWithoutCache, parseCgroupFile, parseV1Mount } from './parse.js';
import { findProcesses, parentPid, processMemory, UnreadableMemory } from './proc.js';

export interface ContainerMemory {
  cgroupBytes: number;
  /** Every process under the container's shim: the workload, and for runsc the sandbox's own processes. */
  workloadPssBytes: number;
  shimPssBytes: number;
  proxyPssBytes: number;
  /**
   * Why the PSS figures could not be read (a user who is not root reading root's shim, proxy or
   * container processes): then the three PSS fields are NaN, never zero; the cgroup is still read.
   */
  pssUnreadable?: string;
}

/** `proxyPids`: the docker-proxy processes that publish this container's port (bridge mode). */
export async function containerMemory(initPid: number, proxyPids: readonly number[] = []): Promise<ContainerMemory> {
  const cgroupBytes = await cgroupMemoryOf(initPid);
  try {
    return { cgroupBytes, ...(await pssOfContainer(initPid, proxyPids)) };
  } catch (error) {
    if (!(error instanceof UnreadableMemory)) throw error;
    return { cgroupBytes, workloadPssBytes: Number.NaN, shimPssBytes: Number.NaN, proxyPssBytes: Number.NaN, pssUnreadable: error.message };
  }
}

async function pssOfContainer(initPid: number, proxyPids: readonly number[]) {
  const shim = await parentPid(initPid);
  let proxyPssBytes = 0;
  for (const pid of proxyPids) proxyPssBytes += (await processMemory(pid)).pssBytes;
  let workloadPssBytes = 0;
  for (const pid of await descendants(shim)) {
    // A process that exited between the listing and the reading costs nothing any more.
    workloadPssBytes += await processMemory(pid).then(
      (m) => m.pssBytes,
      (error) => {
        if (error instanceof UnreadableMemory) throw error;
        return 0;
      },
    );
  }
  return { workloadPssBytes, shimPssBytes: (await processMemory(shim)).pssBytes, proxyPssBytes };
}

/** docker-proxy PIDs by the host port they publish (`-host-port <port>`), from one scan of /proc. */
export async function dockerProxiesByPort(): Promise<Map<number, number[]>> {
  const byPort = new Map<number, number[]>();
  for (const { pid, argv } of await findProcesses((argv) => basename(argv[0] ?? '') === 'docker-proxy')) {
    const flag = argv.indexOf('-host-port');
    if (flag < 0) continue;
    const port = Number(argv[flag + 1]);
    byPort.set(port, [...(byPort.get(port) ?? []), pid]);
  }
  return byPort;
}

export async function cgroupMemoryOf(pid: number): Promise<number> {
  const location = parseCgroupFile(await readFile(`/proc/${pid}/cgroup`, 'utf8'));
  if (!location) throw new Error(`no memory cgroup for process ${pid}`);
  const dir = location.version === 1 ? `${await cgroupV1MemoryMount()}${location.path}` : `/sys/fs/cgroup${location.path}`;
  const usage = await readFile(`${dir}/${location.version === 1 ? 'memory.usage_in_bytes' : 'memory.current'}`, 'utf8');
  return cgroupMemoryWithoutCache(location.version, usage, await readFile(`${dir}/memory.stat`, 'utf8'));
}

/** Where the v1 memory controller is mounted: /sys/fs/cgroup/memory on most hosts, not all.
 *  Read once: mounts do not move during a run, and density reads every container at every step. */
let v1MemoryMount: Promise<string> | undefined;
function cgroupV1MemoryMount(): Promise<string> {
  v1MemoryMount ??= readFile('/proc/self/mountinfo', 'utf8').then((text) => parseV1Mount(text) ?? '/sys/fs/cgroup/memory');
  return v1MemoryMount;
}

/** Every process below `pid` (children, their children…), from /proc/PID/task/TID/children. */
export async function descendants(pid: number): Promise<number[]> {
  const found: number[] = [];
  for (let queue = [pid]; queue.length; ) {
    const parent = queue.shift()!;
    const tasks = await readdir(`/proc/${parent}/task`).catch(() => [] as string[]);
    for (const tid of tasks) {
      const text = await readFile(`/proc/${parent}/task/${tid}/children`, 'utf8').catch(() => '');
      const children = text.split(' ').filter(Boolean).map(Number);
      found.push(...children);
      queue.push(...children);
    }
  }
  return found;
}
