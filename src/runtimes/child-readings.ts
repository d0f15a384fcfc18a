// CPU and memory of tenants that are processes of their own (process, wasmtime serve): the sum
// over their processes, read from /proc.
import type { ChildProcess } from 'node:child_process';
import { processCpuSeconds, processMemory } from '../sys/proc.js';
import type { MemoryReading } from './types.js';

export async function childrenCpuSeconds(children: ChildProcess[]): Promise<number> {
  let total = 0;
  for (const child of children) total += await processCpuSeconds(child.pid!);
  return total;
}

/** PSS (adds up across tenants) and RSS (for comparison: it counts shared pages in every tenant). */
export async function childrenMemory(children: ChildProcess[]): Promise<MemoryReading[]> {
  let pss = 0;
  let rss = 0;
  for (const child of children) {
    const memory = await processMemory(child.pid!);
    pss += memory.pssBytes;
    rss += memory.rssBytes;
  }
  return [
    { method: 'pss', bytes: pss },
    { method: 'rss', bytes: rss },
  ];
}
