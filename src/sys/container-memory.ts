// Memory a container costs the host, by method: its cgroup's memory without page cache (what
// `docker stats` shows), the PSS of its containerd shim, and, in bridge mode, the PSS of the
// docker-proxy that publishes its port. The cgroup is found from the container's init process,
// which works for cgroup v1 and v2 and for any cgroup parent.
import { readFile } from 'node:fs/promises';
import { findProcesses, parentPid, processMemory } from './proc-memory.js';

export interface ContainerMemory {
  cgroupBytes: number;
  shimPssBytes: number;
  proxyPssBytes: number;
}

export async function containerMemory(initPid: number, publishedPort?: number): Promise<ContainerMemory> {
  const shim = await parentPid(initPid);
  let proxyPssBytes = 0;
  if (publishedPort !== undefined) {
    for (const pid of await findProcesses((cmd) => cmd.includes('docker-proxy') && cmd.includes(`-host-port ${publishedPort} `))) {
      proxyPssBytes += (await processMemory(pid)).pssBytes;
    }
  }
  return { cgroupBytes: await cgroupMemoryWithoutCache(initPid), shimPssBytes: (await processMemory(shim)).pssBytes, proxyPssBytes };
}

export async function cgroupMemoryWithoutCache(pid: number): Promise<number> {
  const lines = (await readFile(`/proc/${pid}/cgroup`, 'utf8')).trim().split('\n');
  const v1 = lines.find((line) => line.split(':')[1]?.split(',').includes('memory'));
  if (v1) {
    const dir = `/sys/fs/cgroup/memory${v1.split(':')[2]}`;
    const usage = Number(await readFile(`${dir}/memory.usage_in_bytes`, 'utf8'));
    return usage - statField(await readFile(`${dir}/memory.stat`, 'utf8'), 'total_inactive_file');
  }
  const v2 = lines.find((line) => line.startsWith('0::'));
  if (!v2) throw new Error(`no memory cgroup for process ${pid}`);
  const dir = `/sys/fs/cgroup${v2.slice(3)}`;
  const usage = Number(await readFile(`${dir}/memory.current`, 'utf8'));
  return usage - statField(await readFile(`${dir}/memory.stat`, 'utf8'), 'inactive_file');
}

function statField(stat: string, name: string): number {
  const match = new RegExp(`^${name} (\\d+)$`, 'm').exec(stat);
  return match ? Number(match[1]) : 0;
}
