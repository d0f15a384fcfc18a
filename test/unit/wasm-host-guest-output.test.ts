// Guest stdout/stderr in the V8 Wasm host: a burst is let through, the rest is dropped and counted,
// and the next write after the budget refills says how much was dropped. A clock is injected, so
// nothing here waits or depends on timing.
import { describe, expect, it } from 'vitest';
import { GuestOutputLimit } from '../../src/wasm-host/guest-output.js';
import { wasiImports } from '../../src/wasm-host/wasi-imports.js';

function limitedSink(burstBytes: number, bytesPerSec: number) {
  let now = 0;
  const written: string[] = [];
  const limit = new GuestOutputLimit({ burstBytes, bytesPerSec, sink: (bytes) => written.push(Buffer.from(bytes).toString()), now: () => now });
  return { limit, written, advanceMs: (ms: number) => (now += ms) };
}

describe('guest output limit', () => {
  it('lets a burst through, truncates what exceeds it, and counts what it dropped', () => {
    const { limit, written } = limitedSink(10, 5);
    limit.write(Buffer.from('0123456'));
    limit.write(Buffer.from('789abcdef'));
    limit.write(Buffer.from('more'));
    expect(written.join('')).toBe('0123456789');
    expect(limit.droppedBytes).toBe(10);
  });

  it('refills with time, and says how many bytes were dropped before the next output', () => {
    const { limit, written, advanceMs } = limitedSink(10, 100);
    limit.write(Buffer.from('x'.repeat(30)));
    advanceMs(1000); // refills to the burst, not beyond
    limit.write(Buffer.from('next'));
    expect(written).toEqual(['x'.repeat(10), '[coldbench: 20 bytes of guest output dropped]\n', 'next']);
    expect(limit.droppedBytes).toBe(20);
  });

  it('names its tenant in the note, and tenants do not share a budget', () => {
    let now = 0;
    const written: string[] = [];
    const sink = (bytes: Uint8Array) => written.push(Buffer.from(bytes).toString());
    const noisy = new GuestOutputLimit({ burstBytes: 4, bytesPerSec: 4, sink, now: () => now, tenant: 'noisy' });
    const quiet = new GuestOutputLimit({ burstBytes: 4, bytesPerSec: 4, sink, now: () => now, tenant: 'quiet' });
    noisy.write(Buffer.from('aaaaaaaa'));
    quiet.write(Buffer.from('bbbb'));
    now += 1000;
    noisy.write(Buffer.from('c'));
    expect(written).toEqual(['aaaa', 'bbbb', '[coldbench: tenant noisy: 4 bytes of guest output dropped]\n', 'c']);
    expect([noisy.droppedBytes, quiet.droppedBytes]).toEqual([4, 0]);
  });

  it("is what the guest's stdout and stderr write through", () => {
    const { limit, written } = limitedSink(4, 1);
    const imports = wasiImports({ output: limit });
    const stdout = (imports['wasi:cli/stdout']!.getStdout as () => { blockingWriteAndFlush(b: Uint8Array): void })();
    const stderr = (imports['wasi:cli/stderr']!.getStderr as () => { write(b: Uint8Array): void })();
    stdout.blockingWriteAndFlush(Buffer.from('abc'));
    stderr.write(Buffer.from('defgh'));
    expect(written.join('')).toBe('abcd');
    expect(limit.droppedBytes).toBe(4);
  });

  it('grants no environment, arguments, working directory or preopened directory', () => {
    const imports = wasiImports();
    const environment = imports['wasi:cli/environment']! as Record<string, () => unknown>;
    expect([environment.getEnvironment!(), environment.getArguments!(), environment.initialCwd!()]).toEqual([[], [], undefined]);
    expect((imports['wasi:filesystem/preopens']!.getDirectories as () => unknown[])()).toEqual([]);
  });
});
