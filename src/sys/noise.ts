// How busy the machine was while a unit was measured: load average and CPU steal at its start and
// end, the CPU governor, which other processes used CPU meanwhile, and the CPU the whole machine
// used outside the run (/proc/stat less the run's own processes): the per-process view misses a
// process born and dead between the two snapshots, the machine's counters do not. Units measured
// on a busy machine are flagged, so noisy figures are not read as findings. The load average is
// recorded but not judged: it counts the run's own processes (a density ramp or a load pass
// raises it alone), so against the core count it would flag quiet units.
import { readdir, readFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { parseCpuLine, parseProcStat } from './parse.js';
import { TICKS_PER_SECOND } from './proc.js';

export interface NoiseSnapshot {
  at: number; // ms since epoch
  loadAverage1: number;
  /** Busy CPU ticks of the whole machine so far (all CPUs; steal included). */
  busyTicks: number;
  stealTicks: number;
  totalTicks: number;
  /** CPU ticks used so far per process, its own and its waited-for children's (pid -> [command name, ticks, parent pid]). */
  processes: Map<number, [string, number, number]>;
}

// The container engine works for the measurement (docker deploys), so its CPU is not noise.
const ENGINE = /^(dockerd|containerd|containerd-shim.*|runc|docker-proxy)$/;

/** The pids that belong to the measurement: the harness, everything it started, the engine and its containers. */
export function measurementPids(snapshot: NoiseSnapshot, harnessPid = process.pid): Set<number> {
  const ours = new Set<number>();
  const isOurs = (pid: number, depth = 0): boolean => {
    if (ours.has(pid) || pid === harnessPid) return true;
    const entry = snapshot.processes.get(pid);
    if (!entry || depth > 64 || pid <= 1) return false;
    return ENGINE.test(entry[0]) || isOurs(entry[2], depth + 1);
  };
  for (const pid of snapshot.processes.keys()) if (isOurs(pid)) ours.add(pid);
  return ours;
}

export type { NoiseRecord } from '../results/types.js';

import type { NoiseRecord } from '../results/types.js';

export async function noiseSnapshot(): Promise<NoiseSnapshot> {
  const stat = parseCpuLine(await readFile('/proc/stat', 'utf8'));
  const processes = new Map<number, [string, number, number]>();
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const text = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    if (!text) continue;
    const { ppid, utimeTicks, stimeTicks, childrenTicks } = parseProcStat(text);
    processes.set(Number(entry), [text.slice(text.indexOf('(') + 1, text.lastIndexOf(')')), utimeTicks + stimeTicks + childrenTicks, ppid]);
  }
  return { at: Date.now(), loadAverage1: loadavg()[0]!, busyTicks: stat.busyTicks, stealTicks: stat.stealTicks, totalTicks: stat.totalTicks, processes };
}

export async function cpuGovernor(): Promise<string | undefined> {
  const text = await readFile('/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor', 'utf8').catch(() => undefined);
  return text?.trim();
}

/**
 * Compares two snapshots. `ours` says which pids belong to the run (the harness, its tenants,
 * hosts and load workers): their CPU is the measurement, not noise.
 */
export function noiseBetween(
  start: NoiseSnapshot,
  end: NoiseSnapshot,
  ours: ReadonlySet<number>,
  unit: { workload: string; measurement: string; governor?: string; cores?: number },
): NoiseRecord {
  const seconds = Math.max(0.001, (end.at - start.at) / 1000);
  const cores = unit.cores ?? cpus().length;
  const others = new Map<string, number>();
  let oursTicks = 0;
  for (const [pid, [command, ticks]] of end.processes) {
    const used = ticks - (start.processes.get(pid)?.[1] ?? 0); // a process born meanwhile: all its CPU was used in the unit
    if (ours.has(pid)) oursTicks += Math.max(0, used);
    else if (used > 0) others.set(command, (others.get(command) ?? 0) + used / TICKS_PER_SECOND / seconds);
  }
  const busiestOthers = [...others]
    .filter(([, c]) => c >= 0.05)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 5)
    .map(([command, c]) => ({ command, cores: c }));
  const totalTicks = end.totalTicks - start.totalTicks;
  const stealPercent = totalTicks > 0 ? ((end.stealTicks - start.stealTicks) / totalTicks) * 100 : 0;
  const othersCores = busiestOthers.reduce((sum, p) => sum + p.cores, 0);
  // Steal is busy time on the machine's counters, but not work of any process here.
  const machineTicks = end.busyTicks - start.busyTicks - (end.stealTicks - start.stealTicks);
  const machineOtherCores = Math.max(0, machineTicks - oursTicks) / TICKS_PER_SECOND / seconds;
  const reasons: string[] = [];
  if (othersCores >= 0.25)
    reasons.push(
      `other processes used ${othersCores.toFixed(2)} cores (${busiestOthers
        .slice(0, 3)
        .map((p) => `${p.command} ${p.cores.toFixed(2)}`)
        .join(', ')})`,
    );
  else if (machineOtherCores >= 0.25)
    reasons.push(
      `the machine's CPU counters show ${machineOtherCores.toFixed(2)} cores used outside the run (processes that started and ended within the unit, or the kernel's own work)`,
    );
  if (stealPercent >= 5) reasons.push(`the hypervisor took ${stealPercent.toFixed(1)}% of CPU time (steal)`);
  return {
    workload: unit.workload,
    measurement: unit.measurement,
    seconds,
    cores,
    loadAverage: { start: start.loadAverage1, end: end.loadAverage1 },
    stealPercent,
    ...(unit.governor ? { governor: unit.governor } : {}),
    busiestOthers,
    machineOtherCores,
    busy: reasons.length > 0,
    reasons,
  };
}
