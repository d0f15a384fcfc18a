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
