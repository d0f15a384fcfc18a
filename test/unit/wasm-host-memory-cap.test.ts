// The V8 host's memory cap (src/wasm-host/memory-cap.ts): a core module's own memories get the cap as
// their maximum, so V8 refuses a grow past it; a lower maximum the module declared stays.
import { describe, expect, it } from 'vitest';
import { against, capModuleMemories } from '../../src/wasm-host/memory-cap.js';

const PAGE = 65536;
const HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
/** A module that defines one memory with these limits and exports it as "m" (a type section first, to be skipped). */
function moduleWithMemory(limits: number[]): Uint8Array<ArrayBuffer> {
  const types = [0x01, 0x04, 0x01, 0x60, 0x00, 0x00]; // one type: () -> ()
  const memory = [0x05, limits.length + 1, 0x01, ...limits];
  const exports = [0x07, 0x05, 0x01, 0x01, 0x6d, 0x02, 0x00];
  return Uint8Array.from([...HEADER, ...types, ...memory, ...exports]);
}
const memoryOf = (bytes: Uint8Array<ArrayBuffer>) => new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports.m as WebAssembly.Memory;

describe('memory cap', () => {
  it('gives a memory without a maximum the cap as its maximum: growing past it fails', () => {
    const memory = memoryOf(capModuleMemories(moduleWithMemory([0x00, 0x01]), 3 * PAGE));
    memory.grow(2);
    expect(memory.buffer.byteLength).toBe(3 * PAGE);
    expect(() => memory.grow(1)).toThrow(RangeError);
    expect(against([memory], 3 * PAGE)).toBe('at');
  });

  it('lowers a larger declared maximum to the cap, and keeps a smaller one', () => {
    const lowered = memoryOf(capModuleMemories(moduleWithMemory([0x01, 0x01, 0x80, 0x01]), 2 * PAGE)); // max 128 pages
    expect(() => lowered.grow(2)).toThrow(RangeError);
    const original = moduleWithMemory([0x01, 0x01, 0x02]); // max 2 pages, under a cap of 10
    expect(capModuleMemories(original, 10 * PAGE)).toBe(original);
  });

  it('leaves a module without memories as it is, and tells under from over', () => {
    const bare = Uint8Array.from(HEADER);
    expect(capModuleMemories(bare, PAGE)).toBe(bare);
    const memory = new WebAssembly.Memory({ initial: 2 });
    expect([against([memory], 3 * PAGE), against([memory], PAGE)]).toEqual(['under', 'over']);
  });

  it('keeps the rest of a module intact (a memory larger than the cap stays at its minimum)', () => {
    const capped = capModuleMemories(moduleWithMemory([0x00, 0x04]), PAGE);
    expect(WebAssembly.validate(capped)).toBe(true);
    const memory = memoryOf(capped);
    expect(memory.buffer.byteLength).toBe(4 * PAGE);
    expect(() => memory.grow(1)).toThrow(RangeError);
  });
});
