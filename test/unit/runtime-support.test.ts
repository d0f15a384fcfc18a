// A runtime that cannot run a workload on a platform is skipped with its reason, not failed.
import { describe, expect, it } from 'vitest';
import type { Platform } from '../../src/runtimes/platform.js';
import { loadWorkload } from '../../src/workloads/catalog.js';
import { unsupportedReason } from '../../src/workloads/runtime-support.js';

const arm64: Platform = { name: 'linux/arm64', arch: 'arm64', emulated: true, node: '/nowhere/node' };

describe('runtime support per workload', () => {
  it('skips Python as a process or container on an emulated platform (no python3 of that platform), and nothing else', async () => {
    const py = await loadWorkload('hello-py');
    const js = await loadWorkload('hello');
    expect(unsupportedReason(py, { name: 'process', platform: arm64 })).toBe(
      "Python on linux/arm64 needs that platform's python3, which scripts/setup-arm64.sh does not install",
    );
    expect(unsupportedReason(py, { name: 'docker', platform: arm64 })).toBeDefined();
    expect(unsupportedReason(py, { name: 'wasm', platform: arm64 })).toBeUndefined();
    expect(unsupportedReason(py, { name: 'process' })).toBeUndefined();
    expect(unsupportedReason(js, { name: 'process', platform: arm64 })).toBeUndefined();
  });
});
