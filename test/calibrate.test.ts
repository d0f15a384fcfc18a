// `coldbench calibrate`: autocannon against wrk on every target, Wasm tenants included, each with
// its medians, the machine's load and a verdict; bad options are one line and start nothing.
import { describe, expect, it } from 'vitest';
import { runCli, runtimeAvailable } from './helpers.js';

const wasmtime = await runtimeAvailable('wasmtime');
const named = (target: string) => target.replace(/[()]/g, '\\$&');

describe('coldbench calibrate', () => {
  it('refuses bad options in one line', async () => {
    const result = await runCli(['calibrate', '--rounds', '0']);
    expect(result.code).not.toBe(0);
    expect(result.stderr.trim()).toBe('coldbench calibrate: --rounds: expected a whole number from 1 to 100, got "0"');
    expect(result.stdout).toBe('');
  });

  it.skipIf(!wasmtime)('compares the clients on the null servers and on hello-c on the wasmtime host', async () => {
    const result = await runCli(['calibrate', '--only', 'load', '--duration', '1', '--rounds', '1', '--connections', '2']);
    expect(result.code).toBe(0);
    for (const target of ['Node null server', 'C HTTP front (hello-c)', 'hello-c on wasmtime (per-request)', 'hello-c on wasmtime (per-tenant)']) {
      expect(result.stdout).toMatch(new RegExp(`^${named(target)}, autocannon: [\\d,.]+ req/s median`, 'm'));
      expect(result.stdout).toMatch(new RegExp(`^${named(target)}, wrk: [\\d,.]+ req/s median`, 'm'));
      expect(result.stdout).toMatch(new RegExp(`^${named(target)}: load average`, 'm'));
      // A verdict for every target faster than the clients (the Node null server is not).
      if (target !== 'Node null server') expect(result.stdout).toMatch(new RegExp(`^${named(target)}: autocannon reache`, 'm'));
    }
    // wasmtime serve is measured when its CLI is built, and named with the fix when it is not.
    expect(result.stdout).toMatch(/^(hello-c on wasmtime-serve.*, wrk: |skipping wasmtime-serve: .*fix: )/m);
  });
});
