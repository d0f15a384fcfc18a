// CPU time a container has used, from its cgroup (as its memory is read, src/sys/container-memory.ts),
// not from the engine's stats API: when the host's cgroup layout confuses the engine (a controller
// moved between hierarchies), that API answers total_usage 0 for a container that is serving,
// while the cgroup's own counter is right. One file read per container, cheaper than a request.
// v1: <cpuacct mount><path>/cpuacct.usage (ns); v2: /sys/fs/cgroup<path>/cpu.stat usage_usec.
import { readFile } from 'node:fs/promises';
import { parseCgroupFile, parseV1Mount, statField } from './parse.js';

export async function cgroupCpuSecondsOf(pid: number): Promise<number> {
  const location = parseCgroupFile(await readFile(`/proc/${pid}/cgroup`, 'utf8'), 'cpuacct');
  if (!location) throw new Error(`no cpu cgroup for process ${pid}`);
  if (location.version === 2) return statField(await readFile(`/sys/fs/cgroup${location.path}/cpu.stat`, 'utf8'), 'usage_usec') / 1e6;
  return Number((await readFile(`${await cpuacctMount()}${location.path}/cpuacct.usage`, 'utf8')).trim()) / 1e9;
}

/** Read once: mounts do not move during a run. */
let v1CpuacctMount: Promise<string> | undefined;
function cpuacctMount(): Promise<string> {
  v1CpuacctMount ??= readFile('/proc/self/mountinfo', 'utf8').then((text) => parseV1Mount(text, 'cpuacct') ?? '/sys/fs/cgroup/cpuacct');
  return v1CpuacctMount;
}
