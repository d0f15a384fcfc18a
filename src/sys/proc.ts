// Readers of the live /proc: each reads a file and hands it to a pure parser (src/sys/parse.ts).
import { readdir, readFile } from 'node:fs/promises';
import { parseCmdline, parseProcStat, parseSmapsRollup } from './parse.js';

// Linux reports /proc times in clock ticks; USER_HZ is 100 on every mainstream architecture.
export const TICKS_PER_SECOND = 100;

export interface ProcessMemory {
  pssBytes: number;
  rssBytes: number;
}

/**
 * PSS (proportional set size) divides each shared page among the processes that map it, so it
 * adds up across tenants; RSS counts shared pages in full for every process.
 */
export async function processMemory(pid: number): Promise<ProcessMemory> {
  const rollup = await readFile(`/proc/${pid}/smaps_rollup`, 'utf8').catch(async (error: NodeJS.ErrnoException) => {
    if (error.code === 'EACCES' || error.code === 'EPERM') throw new UnreadableMemory(pid, await ownerOf(pid));
    throw new Error(`cannot read /proc/${pid}/smaps_rollup: process ${pid} is gone`);
  });
  return parseSmapsRollup(rollup);
}

/**
 * Another user's process (root's containerd shim, a container run as root) whose memory this user
 * may not read: the kernel asks for the right to trace it. A reading that cannot be taken, not a
 * process that is gone and not zero bytes: callers record the method as skipped with `message`.
 */
export class UnreadableMemory extends Error {
  constructor(
    readonly pid: number,
    readonly ownerUid: number | undefined,
  ) {
    const self = process.getuid?.();
    super(
      `the memory of process ${pid} (uid ${ownerUid ?? '?'}) cannot be read as uid ${self ?? '?'}: /proc/PID/smaps_rollup of another user's process needs root or CAP_SYS_PTRACE`,
    );
    this.name = 'UnreadableMemory';
  }
}

async function ownerOf(pid: number): Promise<number | undefined> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const uid = /^Uid:\s+(\d+)/m.exec(status)?.[1];
  return uid === undefined ? undefined : Number(uid);
}

/** CPU time used so far by a process (utime + stime), in seconds. */
export async function processCpuSeconds(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => {
    throw new Error(`cannot read /proc/${pid}/stat: process ${pid} is gone`);
  });
  const { utimeTicks, stimeTicks } = parseProcStat(stat);
  return (utimeTicks + stimeTicks) / TICKS_PER_SECOND;
}

export async function parentPid(pid: number): Promise<number> {
  return parseProcStat(await readFile(`/proc/${pid}/stat`, 'utf8')).ppid;
}

/** The one /proc scan: every process whose argv satisfies `matches`, with that argv. */
export async function findProcesses(matches: (argv: string[]) => boolean): Promise<{ pid: number; argv: string[] }[]> {
  const found: { pid: number; argv: string[] }[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const argv = parseCmdline(await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => ''));
    if (argv.length && matches(argv)) found.push({ pid: Number(entry), argv });
  }
  return found;
}
