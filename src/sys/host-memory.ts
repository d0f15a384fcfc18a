// Host-wide readings: MemAvailable (what the kernel could still hand out, page cache included)
// and the CPU time of all CPUs, from /proc/meminfo and /proc/stat.
import { readFile } from 'node:fs/promises';

export async function memAvailableBytes(): Promise<number> {
  const meminfo = await readFile('/proc/meminfo', 'utf8');
  const match = /^MemAvailable:\s+(\d+) kB/m.exec(meminfo);
  if (!match) throw new Error('/proc/meminfo has no MemAvailable line');
  return Number(match[1]) * 1024;
}

/** Busy CPU seconds of the whole host so far (everything but idle and iowait). */
export async function hostBusyCpuSeconds(): Promise<number> {
  const stat = await readFile('/proc/stat', 'utf8');
  const fields = stat.split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = fields;
  return (user + nice + system + irq + softirq + steal) / 100; // USER_HZ
}
