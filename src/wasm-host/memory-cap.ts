// A tenant's linear memory cap in the V8 host. V8 offers no limiter callback on memory.grow (as
// wasmtime's ResourceLimiter), and a core module's own memory gets the maximum its binary
// declares. So each core module is rewritten before it is compiled: every memory it defines gets
// the cap as its maximum (or less, when it declared less). A guest's memory.grow past it fails
// (-1: C's malloc returns NULL) and what happens next is the guest's: most trap, which is a fault
// like any trap, reported as the memory cap when the tenant's memory stands at its cap.
// Memories a module imports need nothing: they are another module's definitions.
const MEMORY_SECTION = 5;
const PAGE = 65536;
const MIN_ONLY = 0x00;
const MIN_MAX = 0x01;

function readU32(bytes: Uint8Array, at: number): { value: number; next: number } {
  let value = 0;
  let shift = 0;
  for (let i = at; i < bytes.length && shift < 35; i++, shift += 7) {
    value += (bytes[i]! & 0x7f) * 2 ** shift;
    if ((bytes[i]! & 0x80) === 0) return { value, next: i + 1 };
  }
  throw new Error('malformed module: bad LEB128 number');
}

function writeU32(value: number): number[] {
  const out: number[] = [];
  do {
    let byte = value % 128;
    value = Math.floor(value / 128);
    if (value > 0) byte |= 0x80;
    out.push(byte);
  } while (value > 0);
  return out;
}

/** The memory section's new contents, or undefined when no memory needed a lower maximum. */
function cappedMemories(section: Uint8Array, maxPages: number): Uint8Array<ArrayBuffer> | undefined {
  const count = readU32(section, 0);
  const out = [...writeU32(count.value)];
  let at = count.next;
  let changed = false;
  for (let i = 0; i < count.value; i++) {
    const flags = section[at]!;
    // Shared (0x02, 0x03) and 64-bit memories (0x04-0x07) are left as they are: jco's components have neither.
    if (flags !== MIN_ONLY && flags !== MIN_MAX) return undefined;
    const min = readU32(section, at + 1);
    const max = flags === MIN_MAX ? readU32(section, min.next) : undefined;
    at = max ? max.next : min.next;
    const capped = Math.max(min.value, Math.min(max?.value ?? Number.POSITIVE_INFINITY, maxPages));
    changed ||= capped !== max?.value;
    out.push(MIN_MAX, ...writeU32(min.value), ...writeU32(capped));
  }
  return changed ? Uint8Array.from(out) : undefined;
}

/** `module` (a core module's bytes) with each memory it defines at most `capBytes` (whole pages). */
export function capModuleMemories(module: Uint8Array<ArrayBuffer>, capBytes: number): Uint8Array<ArrayBuffer> {
  const maxPages = Math.min(65536, Math.floor(capBytes / PAGE));
  let at = 8; // magic and version
  while (at < module.length) {
    const id = module[at]!;
    const size = readU32(module, at + 1);
    const end = size.next + size.value;
    if (id === MEMORY_SECTION) {
      const contents = cappedMemories(module.subarray(size.next, end), maxPages);
      if (!contents) return module;
      const header = [MEMORY_SECTION, ...writeU32(contents.length)];
      const out = new Uint8Array(at + header.length + contents.length + module.length - end);
      out.set(module.subarray(0, at), 0);
      out.set(header, at);
      out.set(contents, at + header.length);
      out.set(module.subarray(end), at + header.length + contents.length);
      return out;
    }
    at = end;
  }
  return module;
}

/** The memories' bytes together, and how they stand against the cap. */
export function against(memories: readonly WebAssembly.Memory[], capBytes: number): 'under' | 'at' | 'over' {
  let total = 0;
  for (const memory of memories) total += memory.buffer.byteLength;
  return total > capBytes ? 'over' : total === capBytes ? 'at' : 'under';
}
