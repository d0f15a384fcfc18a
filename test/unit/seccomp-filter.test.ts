// The sandboxed process's seccomp filter, run through a small classic-BPF interpreter (the few
// opcodes it uses): a tenant may listen on TCP, but not connect, not make datagram or raw
// sockets, not use io_uring; another ABI is killed; anything else is allowed.
import { describe, expect, it } from 'vitest';
import { type SeccompArch, seccompFilter } from '../../src/runtimes/seccomp-filter.js';

const ALLOW = 0x7fff0000;
const EPERM = 0x00050001;
const KILL = 0x80000000;

/** Runs the filter on one call (struct seccomp_data: nr, arch, args[1] low word). */
function verdict(filter: Buffer, call: { arch: number; nr: number; arg1?: number }): number {
  const word = (offset: number) => (offset === 0 ? call.nr : offset === 4 ? call.arch : offset === 24 ? (call.arg1 ?? 0) : 0);
  let acc = 0;
  for (let pc = 0; pc * 8 < filter.length; pc++) {
    const code = filter.readUInt16LE(pc * 8);
    const [jt, jf] = [filter.readUInt8(pc * 8 + 2), filter.readUInt8(pc * 8 + 3)];
    const k = filter.readUInt32LE(pc * 8 + 4);
    if (code === 0x20) acc = word(k);
    else if (code === 0x54) acc = (acc & k) >>> 0;
    else if (code === 0x15) pc += acc === k ? jt : jf;
    else if (code === 0x35) pc += acc >= k ? jt : jf;
    else if (code === 0x06) return k;
    else throw new Error(`opcode ${code} at ${pc}`);
  }
  throw new Error('fell off the end of the filter');
}

const CALLS: Record<SeccompArch, { arch: number; connect: number; socket: number; read: number; bind: number; listen: number }> = {
  x64: { arch: 0xc000003e, connect: 42, socket: 41, read: 0, bind: 49, listen: 50 },
  arm64: { arch: 0xc00000b7, connect: 203, socket: 198, read: 63, bind: 200, listen: 201 },
};
const SOCK_STREAM = 1;
const SOCK_DGRAM = 2;
const SOCK_RAW = 3;
const SOCK_NONBLOCK_CLOEXEC = 0o4000 | 0o2000000;

describe('the sandbox seccomp filter', () => {
  for (const arch of ['x64', 'arm64'] as const) {
    it(`${arch}: listens on TCP, refuses connect, datagram and raw sockets and io_uring, kills another ABI`, () => {
      const filter = seccompFilter(arch);
      const c = CALLS[arch];
      const on = (nr: number, arg1?: number) => verdict(filter, { arch: c.arch, nr, arg1 });
      expect(on(c.read)).toBe(ALLOW);
      expect(on(c.bind)).toBe(ALLOW);
      expect(on(c.listen)).toBe(ALLOW);
      expect(on(c.socket, SOCK_STREAM)).toBe(ALLOW);
      expect(on(c.socket, SOCK_STREAM | SOCK_NONBLOCK_CLOEXEC)).toBe(ALLOW);
      expect(on(c.connect)).toBe(EPERM);
      expect(on(c.socket, SOCK_DGRAM)).toBe(EPERM);
      expect(on(c.socket, SOCK_DGRAM | SOCK_NONBLOCK_CLOEXEC)).toBe(EPERM);
      expect(on(c.socket, SOCK_RAW)).toBe(EPERM);
      expect(on(425)).toBe(EPERM); // io_uring_setup
      expect(verdict(filter, { arch: 0x40000003, nr: c.read })).toBe(KILL); // i386
    });
  }

  it('x64: refuses x32 calls (the same numbers with bit 30 set)', () => {
    expect(verdict(seccompFilter('x64'), { arch: 0xc000003e, nr: 0x40000000 + 42 })).toBe(EPERM);
    expect(verdict(seccompFilter('x64'), { arch: 0xc000003e, nr: 0x40000000 })).toBe(EPERM);
  });
});
