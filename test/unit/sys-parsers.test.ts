// The /proc and cgroup parsers on fixture text: cgroup v1 and v2, and command names that contain
// spaces and ")" (a process may name itself anything).
import { describe, expect, it } from 'vitest';
import { measurementPids, noiseBetween } from '../../src/sys/noise.js';
import {
  cgroupMemoryWithoutCache,
  parseCgroupFile,
  parseCmdline,
  parseCpuLine,
  parseMemAvailable,
  parseMemTotal,
  parseProcStat,
  parseSmapsRollup,
  parseV1Mount,
  statField,
} from '../../src/sys/parse.js';

describe('/proc parsers', () => {
  it('smaps_rollup: Pss and Rss in bytes', () => {
    const text = `55d0c0a00000-7ffd8a5fe000 ---p 00000000 00:00 0                          [rollup]
Rss:               45184 kB
Pss:                7988 kB
Pss_Anon:           5120 kB
Shared_Clean:      38000 kB
`;
    expect(parseSmapsRollup(text)).toEqual({ rssBytes: 45184 * 1024, pssBytes: 7988 * 1024 });
    expect(() => parseSmapsRollup('Rss: 1 kB\n')).toThrow('no Pss or Rss');
  });

  it('stat: fields after the last ")", whatever the command name holds', () => {
    const fields = 'S 4242 4243 4243 0 -1 4194560 1234 0 0 0 250 75 30 12 20 0 1 0 12345 1000000 300 18446744073709551615';
    expect(parseProcStat(`77 (node) ${fields}`)).toEqual({ ppid: 4242, utimeTicks: 250, stimeTicks: 75, childrenTicks: 42 });
    expect(parseProcStat(`77 (my (odd) name) ) ${fields}`)).toEqual({ ppid: 4242, utimeTicks: 250, stimeTicks: 75, childrenTicks: 42 });
    expect(parseProcStat(`77 (a b c) ${fields}`).ppid).toBe(4242);
  });

  it('meminfo and the cpu line', () => {
    const meminfo = 'MemTotal:       24576000 kB\nMemFree:         1000000 kB\nMemAvailable:   20000000 kB\n';
    expect(parseMemAvailable(meminfo)).toBe(20000000 * 1024);
    expect(parseMemTotal(meminfo)).toBe(24576000 * 1024);
    expect(() => parseMemAvailable('MemTotal: 1 kB\n')).toThrow('MemAvailable');
    // user nice system idle iowait irq softirq steal
    expect(parseCpuLine('cpu  100 5 50 1000 20 3 2 7 0 0\ncpu0 1 2 3\n')).toEqual({ busyTicks: 167, stealTicks: 7, totalTicks: 1187 });
  });

  it('cmdline: NUL-separated argv', () => {
    expect(parseCmdline('node\0/app/server.js\0--coldbench-run=r1\0')).toEqual(['node', '/app/server.js', '--coldbench-run=r1']);
    expect(parseCmdline('')).toEqual([]);
  });
});

describe('cgroup parsers', () => {
  it('v1: the memory controller line, its mount point and usage without inactive file pages', () => {
    const cgroup = `12:pids:/docker/abc
11:memory:/docker/abc123
10:cpu,cpuacct:/docker/abc
0::/
`;
    expect(parseCgroupFile(cgroup)).toEqual({ version: 1, path: '/docker/abc123' });
    const mountinfo = `25 30 0:22 / /sys/fs/cgroup ro,nosuid shared:9 - tmpfs tmpfs ro,mode=755
33 25 0:29 / /sys/fs/cgroup/memory rw,nosuid,nodev shared:15 - cgroup cgroup rw,memory
34 25 0:30 / /sys/fs/cgroup/pids rw shared:16 - cgroup cgroup rw,pids
`;
    expect(parseV1Mount(mountinfo)).toBe('/sys/fs/cgroup/memory');
    expect(parseV1Mount('1 2 0:1 / / rw - ext4 /dev/vda rw\n')).toBeUndefined();
    expect(cgroupMemoryWithoutCache(1, '1048576\n', 'cache 4096\ntotal_inactive_file 262144\ninactive_file 1\n')).toBe(786432);
  });

  it('v2: the unified line and inactive_file', () => {
    expect(parseCgroupFile('0::/system.slice/docker-abc.scope\n')).toEqual({ version: 2, path: '/system.slice/docker-abc.scope' });
    expect(cgroupMemoryWithoutCache(2, '2097152\n', 'anon 1000\nfile 5000\ninactive_file 1048576\n')).toBe(1048576);
    expect(parseCgroupFile('')).toBeUndefined();
  });

  it('the cpuacct controller: its line (alone or joined with cpu) and its mount point', () => {
    const cgroup = '11:memory:/docker/abc123\n10:cpu,cpuacct:/docker/def456\n0::/\n';
    expect(parseCgroupFile(cgroup, 'cpuacct')).toEqual({ version: 1, path: '/docker/def456' });
    expect(parseCgroupFile('2:cpuacct:/docker/x\n1:cpu:/docker/y\n', 'cpuacct')).toEqual({ version: 1, path: '/docker/x' });
    // hybrid hosts without a v1 cpuacct hierarchy: the unified line
    expect(parseCgroupFile('11:memory:/docker/a\n0::/system.slice/docker-a.scope\n', 'cpuacct')).toEqual({ version: 2, path: '/system.slice/docker-a.scope' });
    const mountinfo = '35 25 0:31 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid shared:17 - cgroup cgroup rw,cpu,cpuacct\n';
    expect(parseV1Mount(mountinfo, 'cpuacct')).toBe('/sys/fs/cgroup/cpu,cpuacct');
    expect(parseV1Mount(mountinfo)).toBeUndefined();
    expect(statField('usage_usec 73012\nuser_usec 50000\n', 'usage_usec')).toBe(73012);
  });
});

describe('machine noise', () => {
  const snapshot = (at: number, processes: [number, string, number, number][], steal = 0, total = 0, busy = 0) => ({
    at,
    loadAverage1: 1,
    busyTicks: busy,
    stealTicks: steal,
    totalTicks: total,
    processes: new Map(processes.map(([pid, command, ticks, ppid]) => [pid, [command, ticks, ppid] as [string, number, number]])),
  });

  it("counts other processes' CPU, not the run's own or the engine's, and flags a busy unit", () => {
    const start = snapshot(
      0,
      [
        [10, 'harness', 0, 1],
        [11, 'node', 0, 10],
        [20, 'cargo', 0, 1],
        [30, 'dockerd', 0, 1],
      ],
      0,
      1000,
    );
    const end = snapshot(
      2000,
      [
        [10, 'harness', 150, 1],
        [11, 'node', 100, 10],
        [20, 'cargo', 100, 1],
        [30, 'dockerd', 80, 1],
        [40, 'rustc', 60, 20],
      ],
      10,
      1400,
    );
    const ours = measurementPids(end, 10);
    expect([...ours].sort()).toEqual([10, 11, 30]);
    const noise = noiseBetween(start, end, ours, { workload: 'hello', measurement: 'coldstart', cores: 2 });
    expect(noise.busiestOthers).toEqual([
      { command: 'cargo', cores: 0.5 },
      { command: 'rustc', cores: 0.3 },
    ]);
    expect(noise.stealPercent).toBeCloseTo(2.5, 5);
    expect(noise.busy).toBe(true);
    expect(noise.reasons[0]).toMatch(/^other processes used 0\.80 cores \(cargo 0\.50, rustc 0\.30\)$/);
  });

  it('calls a unit quiet when nothing else ran', () => {
    const start = snapshot(0, [[10, 'harness', 0, 1]], 0, 1000);
    const end = snapshot(1000, [[10, 'harness', 90, 1]], 0, 1200);
    expect(noiseBetween(start, end, measurementPids(end, 10), { workload: 'w', measurement: 'load', cores: 2 }).busy).toBe(false);
  });

  it('flags a unit busy from the whole-machine counters when a process started and ended within it', () => {
    // The burst ran between the snapshots: no process list shows it, but the machine's busy ticks
    // grew by 300 (1.5 s over 2 s of 2 cores) while the run's own processes used 100.
    const start = snapshot(0, [[10, 'harness', 0, 1]], 0, 1000, 500);
    const end = snapshot(2000, [[10, 'harness', 100, 1]], 0, 1400, 900);
    const noise = noiseBetween(start, end, measurementPids(end, 10), { workload: 'w', measurement: 'load', cores: 2 });
    expect(noise.busiestOthers).toEqual([]);
    expect(noise.machineOtherCores).toBeCloseTo(1.5, 5);
    expect(noise.busy).toBe(true);
    expect(noise.reasons).toEqual([
      "the machine's CPU counters show 1.50 cores used outside the run (processes that started and ended within the unit, or the kernel's own work)",
    ]);
  });

  it("counts a run's child that ended within the unit as the run's, through its parent's children time", () => {
    // The harness waited for a tenant that used 120 ticks and exited: its CPU is in the harness's cutime.
    const start = snapshot(0, [[10, 'harness', 0, 1]], 0, 1000, 500);
    const end = snapshot(2000, [[10, 'harness', 150, 1]], 0, 1400, 660);
    const noise = noiseBetween(start, end, measurementPids(end, 10), { workload: 'w', measurement: 'load', cores: 2 });
    expect(noise.machineOtherCores).toBeCloseTo(0.05, 5);
    expect(noise.busy).toBe(false);
  });
});
