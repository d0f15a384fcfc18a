// A missing runtime skips its tests on a user's machine and fails them where it is required (CI).
import { describe, expect, it } from 'vitest';
import { runtimeNames } from '../../src/runtimes/registry.js';
import { requiredNames, skipReason, testable } from '../availability.js';

const missing = { available: false, reason: 'wasmtime-cli 48.0.8 is not built', fix: 'bash scripts/build-wasmtime.sh cli' } as const;

describe('runtimes required by COLDBENCH_REQUIRE_RUNTIMES', () => {
  it('"all" is every real runtime, the browser and the non-root proof, not the fake runtime nor the emulated platform', () => {
    const real = runtimeNames().filter((name) => name !== 'fake');
    expect(requiredNames('all')).toEqual([...real, 'browser', 'nonroot-proof', 'componentize-py']);
    expect(requiredNames('all')).toContain('wasmtime');
    expect(requiredNames('all, linux/arm64')).toEqual([...real, 'browser', 'nonroot-proof', 'componentize-py', 'linux/arm64']);
    expect(requiredNames('browser')).toEqual(['browser']);
    expect(requiredNames('')).toEqual([]);
    expect(requiredNames('docker,process')).toEqual(['docker', 'process']);
  });

  it('refuses a name that is neither a runtime, a platform nor a tool, listing the choices', () => {
    expect(() => requiredNames('docker,wasmtim')).toThrow(
      /COLDBENCH_REQUIRE_RUNTIMES: "wasmtim" is not a runtime, platform or tool, expected "all" or a list of: .*wasmtime.*linux\/arm64, browser, nonroot-proof/,
    );
  });

  it('skips a missing runtime where it is not required, saying why', () => {
    expect(testable('wasmtime-serve', missing, '')).toBe(false);
    expect(testable('wasmtime-serve', missing, 'docker')).toBe(false);
    expect(skipReason('wasmtime-serve', missing)).toBe(
      'skipped: wasmtime-serve is not available here (wasmtime-cli 48.0.8 is not built; fix: bash scripts/build-wasmtime.sh cli)',
    );
  });

  it('fails on a missing runtime where it is required, naming it and its fix', () => {
    expect(() => testable('wasmtime-serve', missing, 'all')).toThrow(
      'wasmtime-serve is required here (COLDBENCH_REQUIRE_RUNTIMES=all) but not available: wasmtime-cli 48.0.8 is not built; fix: bash scripts/build-wasmtime.sh cli',
    );
    expect(() => testable('linux/arm64', { ...missing, reason: 'missing: qemu', fix: 'bash scripts/setup-arm64.sh' }, 'all')).not.toThrow();
    expect(() => testable('linux/arm64', { ...missing, reason: 'missing: qemu', fix: 'bash scripts/setup-arm64.sh' }, 'linux/arm64')).toThrow(
      /linux\/arm64 is required here/,
    );
  });

  it('passes an available runtime whatever is required', () => {
    expect(testable('docker', { available: true }, 'all')).toBe(true);
    expect(skipReason('docker', { available: true })).toBe('');
  });
});
