// The wasmtime version is pinned in one place, hosts/wasmtime/Cargo.toml; everything else reads it
// from there or is checked against it here (the host's own copy by its `cargo test`).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/paths.js';
import { runtimeDescriptor } from '../../src/runtimes/registry.js';
import { pinnedWasmtimeVersion, WASMTIME_CLI_BIN, WASMTIME_VERSION } from '../../src/runtimes/wasmtime-build.js';

const read = (path: string) => readFileSync(join(PROJECT_ROOT, path), 'utf8');
const SEMVER = /\b\d+\.\d+\.\d+\b/g;

describe('the wasmtime version', () => {
  it("is the one hosts/wasmtime/Cargo.toml pins for the three crates, and the lock file's", () => {
    const toml = read('hosts/wasmtime/Cargo.toml');
    const lock = read('hosts/wasmtime/Cargo.lock');
    expect(WASMTIME_VERSION).toMatch(/^\d+\.\d+\.\d+$/);
    for (const crate of ['wasmtime', 'wasmtime-wasi', 'wasmtime-wasi-http']) {
      expect(toml).toMatch(new RegExp(`^${crate} = .*"=${WASMTIME_VERSION.replaceAll('.', '\\.')}"`, 'm'));
      expect(lock).toContain(`name = "${crate}"\nversion = "${WASMTIME_VERSION}"`);
    }
    expect(WASMTIME_CLI_BIN).toContain(`wasmtime-cli-${WASMTIME_VERSION}`);
  });

  it('is written nowhere else: the build script reads it, the host checks its copy, its README agrees', () => {
    expect(read('scripts/build-wasmtime.sh').match(SEMVER)).toBeNull();
    expect(read('hosts/wasmtime/src/engine.rs')).toContain(`pub const WASMTIME_VERSION: &str = "${WASMTIME_VERSION}";`);
    for (const [, version] of read('hosts/wasmtime/README.md').matchAll(/wasmtime (\d+\.\d+\.\d+)/g)) expect(version).toBe(WASMTIME_VERSION);
  });

  it('refuses a Cargo.toml without the pin in one line', () => {
    expect(pinnedWasmtimeVersion('[dependencies]\nwasmtime = "=1.2.3"\n')).toBe('1.2.3');
    expect(pinnedWasmtimeVersion('[dependencies]\nwasmtime = { version = "=1.2.3", default-features = false }\n')).toBe('1.2.3');
    expect(() => pinnedWasmtimeVersion('[dependencies]\nwasmtime = "1"\n')).toThrow(
      'hosts/wasmtime/Cargo.toml: expected a line wasmtime = { version = "=X.Y.Z", … } (the pinned wasmtime version)',
    );
  });
});

describe('wasmtime-serve variants', () => {
  it('combine the load mode with the allocator, pooling by default', () => {
    const serve = runtimeDescriptor('wasmtime-serve');
    const variants = (settings: unknown) => serve.variants?.(serve.options!.parse(settings));
    expect(variants(undefined)).toEqual(['precompiled-pooling']);
    expect(variants({ variants: ['precompiled', 'compile'], allocators: ['pooling', 'default'] })).toEqual([
      'precompiled-pooling',
      'precompiled-default',
      'compile-pooling',
      'compile-default',
    ]);
    expect(() => serve.options!.parse({ allocators: ['on-demand'] })).toThrow();
  });
});
