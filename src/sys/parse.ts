// Pure parsers for the /proc and cgroup files coldbench reads: text in, numbers out, so each is
// tested on fixture text (cgroup v1 and v2, command names with spaces and parentheses).

/** A "Field:   123 kB" line of smaps_rollup or meminfo, in bytes. */
export function kilobyteField(text: string, field: string): number | undefined {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text);
  return match ? Number(match[1]) * 1024 : undefined;
}

export function parseSmapsRollup(text: string): { pssBytes: number; rssBytes: number } {
  const pss = kilobyteField(text, 'Pss');
  const rss = kilobyteField(text, 'Rss');
  if (pss === undefined || rss === undefined) throw new Error('smaps_rollup has no Pss or Rss line');
  return { pssBytes: pss, rssBytes: rss };
}

export function parseMemAvailable(meminfo: string): number {
  const bytes = kilobyteField(meminfo, 'MemAvailable');
  if (bytes === undefined) throw new Error('/proc/meminfo has no MemAvailable line');
  return bytes;
}

export function parseMemTotal(meminfo: string): number {
  const bytes = kilobyteField(meminfo, 'MemTotal');
  if (bytes === undefined) throw new Error('/proc/meminfo has no MemTotal line');
  return bytes;
}

/**
 * /proc/PID/stat: the command name (field 2) is in parentheses and may itself contain spaces and
 * ")", so fields are counted after the LAST ")". Times are in clock ticks.
 */
export function parseProcStat(text: string): { ppid: number; utimeTicks: number; stimeTicks: number; childrenTicks: number } {
  const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // rest[0] is field 3 (state); ppid is field 4, utime 14, stime 15; cutime 16 and cstime 17 are
  // the CPU of children it has waited for (so a child that ended still counts, on its parent).
  return { ppid: Number(rest[1]), utimeTicks: Number(rest[11]), stimeTicks: Number(rest[12]), childrenTicks: Number(rest[13]) + Number(rest[14]) };
}

/** Busy and total ticks of all CPUs from the first line of /proc/stat (busy: not idle or iowait). */
export function parseCpuLine(text: string): { busyTicks: number; stealTicks: number; totalTicks: number } {
  const fields = text.split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = fields;
  const busy = user + nice + system + irq + softirq + steal;
  return { busyTicks: busy, stealTicks: steal, totalTicks: busy + idle + iowait };
}

export type CgroupLocation = { version: 1; path: string } | { version: 2; path: string };

/** Where a process's cgroup for a controller is, from /proc/PID/cgroup (v1: that controller's line; else the unified one). */
export function parseCgroupFile(text: string, controller = 'memory'): CgroupLocation | undefined {
  const lines = text.trim().split('\n');
  const v1 = lines.find((line) => line.split(':')[1]?.split(',').includes(controller));
  if (v1) return { version: 1, path: v1.split(':').slice(2).join(':') };
  const v2 = lines.find((line) => line.startsWith('0::'));
  return v2 ? { version: 2, path: v2.slice(3) } : undefined;
}

/** The mount point of a cgroup v1 controller (memory unless named), from /proc/self/mountinfo. */
export function parseV1Mount(mountinfo: string, controller = 'memory'): string | undefined {
  for (const line of mountinfo.split('\n')) {
    // "<id> <parent> <dev> <root> <mount point> <options> [optional...] - <type> <source> <super options>"
    const [mountFields, fsFields] = line.split(' - ');
    const [type, , superOptions] = fsFields?.split(' ') ?? [];
    if (type === 'cgroup' && superOptions?.split(',').includes(controller)) return mountFields!.split(' ')[4];
  }
  return undefined;
}

/** A "name value" line of memory.stat (or cpu.stat). */
export function statField(stat: string, name: string): number {
  const match = new RegExp(`^${name} (\\d+)$`, 'm').exec(stat);
  return match ? Number(match[1]) : 0;
}

/** Memory a cgroup uses without its reclaimable page cache: usage minus inactive file pages. */
export function cgroupMemoryWithoutCache(version: 1 | 2, usageText: string, statText: string): number {
  return Number(usageText.trim()) - statField(statText, version === 1 ? 'total_inactive_file' : 'inactive_file');
}

/** argv from /proc/PID/cmdline (NUL-separated, with a trailing NUL). */
export function parseCmdline(text: string): string[] {
  return text ? text.replace(/\0$/, '').split('\0') : [];
}
