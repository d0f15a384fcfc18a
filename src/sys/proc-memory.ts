// Memory of a process from /proc/PID/smaps_rollup. PSS (proportional set size) divides each
// shared page among the processes that map it, so it adds up across tenants; RSS counts shared
// pages in full for every process, which double-counts when many tenants share a binary.
import { readFile, readdir } from 'node:fs/promises';

export interface ProcessMemory {
  pssBytes: number;
  rssBytes: number;
}

export async function processMemory(pid: number): Promise<ProcessMemory> {
  const rollup = await readFile(`/proc/${pid}/smaps_rollup`, 'utf8').catch(() => {
    throw new Error(`cannot read /proc/${pid}/smaps_rollup: process ${pid} is gone`);
  });
  return { pssBytes: kilobytes(rollup, 'Pss'), rssBytes: kilobytes(rollup, 'Rss') };
}

function kilobytes(text: string, field: string): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text);
  if (!match) throw new Error(`no ${field} line in smaps_rollup`);
  return Number(match[1]) * 1024;
}

export async function parentPid(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
}

/** Processes whose arguments (argv, from /proc/PID/cmdline) satisfy `matches`, with those arguments. */
export async function findProcesses(matches: (argv: string[]) => boolean): Promise<{ pid: number; argv: string[] }[]> {
  const found: { pid: number; argv: string[] }[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const commandLine = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    const argv = commandLine.replace(/\0$/, '').split('\0');
    if (commandLine && matches(argv)) found.push({ pid: Number(entry), argv });
  }
  return found;
}
