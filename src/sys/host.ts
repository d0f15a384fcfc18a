// Host-wide readings, from /proc/meminfo and /proc/stat. Density and tests take them through the
// HostReaders interface so that a test can hand in its own.
import { readFile } from 'node:fs/promises';
import { parseCpuLine, parseMemAvailable, parseMemTotal } from './parse.js';
import { TICKS_PER_SECOND } from './proc.js';

export interface HostReaders {
  /** What the kernel could still hand out, page cache included. */
  memAvailableBytes(): Promise<number>;
  memTotalBytes(): Promise<number>;
  /** Busy CPU seconds of the whole host so far (everything but idle and iowait). */
  busyCpuSeconds(): Promise<number>;
}

export const liveHost: HostReaders = {
  memAvailableBytes: async () => parseMemAvailable(await readFile('/proc/meminfo', 'utf8')),
  memTotalBytes: async () => parseMemTotal(await readFile('/proc/meminfo', 'utf8')),
  busyCpuSeconds: async () => parseCpuLine(await readFile('/proc/stat', 'utf8')).busyTicks / TICKS_PER_SECOND,
};

/** Limits a density ramp may run into, read when it ends, so a failure can be traced to one. */
export type { HostLimits } from '../results/types.js';

import type { HostLimits } from '../results/types.js';

export async function hostLimits(tenantPorts: number): Promise<HostLimits> {
  const number = async (file: string) => {
    const text = await readFile(file, 'utf8').catch(() => undefined);
    return text === undefined ? undefined : Number(text.trim().split(/\s+/)[0]);
  };
  const limits = await readFile('/proc/self/limits', 'utf8').catch(() => '');
  const openFiles = /^Max open files\s+(\d+)/m.exec(limits)?.[1];
  const loadavg = await readFile('/proc/loadavg', 'utf8').catch(() => '');
  const threads = /\d+\/(\d+)/.exec(loadavg)?.[1];
  return {
    pidMax: await number('/proc/sys/kernel/pid_max'),
    threadsMax: await number('/proc/sys/kernel/threads-max'),
    ...(threads ? { threads: Number(threads) } : {}),
    ...(openFiles ? { openFilesLimit: Number(openFiles) } : {}),
    tenantPorts,
    memAvailableMiB: Math.round((await liveHost.memAvailableBytes()) / 1048576),
  };
}
