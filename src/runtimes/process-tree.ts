// The processes of a tenant that is a process tree (a sandboxed tenant is bwrap, its init in the
// new pid namespace and the app): each root's descendants, found in one /proc scan, and the CPU
// and memory summed over them, so the sandbox's own processes count in what a tenant costs.
import { readdir, readFile } from 'node:fs/promises';
import { parseProcStat } from '../sys/parse.js';
import { processCpuSeconds, processMemory } from '../sys/proc.js';
import type { MemoryReading } from './types.js';

/** Each root with its descendants (the root first); a root that is gone has none. */
export async function processTrees(roots: readonly number[]): Promise<number[][]> {
  const children = new Map<number, number[]>();
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    if (!stat) continue;
    const { ppid } = parseProcStat(stat);
    children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
  }
  return roots.map((root) => {
    const tree = [root];
    for (let i = 0; i < tree.length; i++) tree.push(...(children.get(tree[i]!) ?? []));
    return tree;
  });
}

export async function treesCpuSeconds(roots: readonly number[]): Promise<number> {
  let total = 0;
  for (const pid of (await processTrees(roots)).flat()) total += await processCpuSeconds(pid).catch(() => 0);
  return total;
}

/** PSS (adds up across tenants) and RSS (counts shared pages in every tenant), over every process of each tree. */
export async function treesMemory(roots: readonly number[]): Promise<MemoryReading[]> {
  let pss = 0;
  let rss = 0;
  for (const pid of (await processTrees(roots)).flat()) {
    const memory = await processMemory(pid);
    pss += memory.pssBytes;
    rss += memory.rssBytes;
  }
  return [
    { method: 'pss', bytes: pss },
    { method: 'rss', bytes: rss },
  ];
}
