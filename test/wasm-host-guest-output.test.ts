// Guest stdout/stderr in the V8 host is rate-limited: a burst passes, a flood is cut to the
// sustained rate, and what was dropped is reported once output fits again (clock injected).
import { describe, expect, it } from 'vitest';
import { limitedOutput } from '../src/wasm-host/guest-output.js';

function harness() {
  let clock = 0;
  const written: string[] = [];
  const write = limitedOutput({ bytesPerSecond: 100, burstBytes: 50 }, (bytes) => written.push(Buffer.from(bytes).toString()), () => clock);
  return { write: (text: string) => write(Buffer.from(text)), advance: (ms: number) => void (clock += ms), written };
}

describe('guest output limit', () => {
  it('passes output within the burst unchanged', () => {
    const { write, written } = harness();
    write('hello\n');
    write('world\n');
    expect(written).toEqual(['hello\n', 'world\n']);
  });

  it('truncates a flood to the burst, then to the rate, and reports what it dropped', () => {
    const { write, advance, written } = harness();
    write('x'.repeat(80));
    expect(written).toEqual(['x'.repeat(50)]);
    write('y'.repeat(10)); // no tokens left: dropped
    expect(written).toHaveLength(1);
    advance(100); // 10 bytes' worth at 100 bytes/s
    write('z'.repeat(30));
    expect(written.slice(1)).toEqual([expect.stringMatching(/^\[coldbench V8 host: 40 bytes of guest output dropped/), 'z'.repeat(10)]);
  });
});
