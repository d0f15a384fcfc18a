// The seccomp filter of a sandboxed process tenant (classic BPF, as bwrap --seccomp reads it): it
// may listen and accept on its own port, but not open connections (connect), not make datagram or
// raw sockets (only SOCK_STREAM), and not use io_uring (whose ring could connect past seccomp).
// Refused calls fail with EPERM; every other call is allowed. Pure: bytes from numbers.

/** Per architecture: its audit id and the syscall numbers the filter names. */
const ARCHES = {
  x64: { audit: 0xc000003e, connect: 42, socket: 41, ioUringSetup: 425, x32Bit: 0x40000000 },
  arm64: { audit: 0xc00000b7, connect: 203, socket: 198, ioUringSetup: 425, x32Bit: undefined },
} as const;
export type SeccompArch = keyof typeof ARCHES;

// BPF opcodes (linux/filter.h) and seccomp return values (linux/seccomp.h).
const LD_W_ABS = 0x20;
const JEQ_K = 0x15;
const JGE_K = 0x35;
const AND_K = 0x54;
const RET_K = 0x06;
const ALLOW = 0x7fff0000;
const KILL_PROCESS = 0x80000000;
const ERRNO_EPERM = 0x00050000 | 1;
const SOCK_STREAM = 1;
const SOCK_TYPE_MASK = 0xf;
// struct seccomp_data: nr at 0, arch at 4, args[i] at 16 + 8 i (low 32 bits first on little-endian).
const NR = 0;
const ARCH = 4;
const ARG1_LOW = 24;

/** A jump's target: the next instruction, or one of the two returns at the end. */
type Target = 'next' | 'refuse' | 'allow';
interface Step {
  code: number;
  k: number;
  jt?: Target;
  jf?: Target;
}

export function seccompFilter(arch: SeccompArch): Buffer {
  const a = ARCHES[arch];
  const steps: Step[] = [
    { code: LD_W_ABS, k: ARCH },
    { code: JEQ_K, k: a.audit }, // its jumps are set below: another ABI (e.g. i386's int 0x80) is killed
    { code: RET_K, k: KILL_PROCESS },
    { code: LD_W_ABS, k: NR },
    ...(a.x32Bit ? [{ code: JGE_K, k: a.x32Bit, jt: 'refuse' as const }] : []), // x32 calls
    { code: JEQ_K, k: a.connect, jt: 'refuse' },
    { code: JEQ_K, k: a.ioUringSetup, jt: 'refuse' },
    { code: JEQ_K, k: a.socket, jt: 'next', jf: 'allow' }, // socket(): its type is checked next
    { code: LD_W_ABS, k: ARG1_LOW },
    { code: AND_K, k: SOCK_TYPE_MASK },
    { code: JEQ_K, k: SOCK_STREAM, jt: 'allow', jf: 'refuse' },
    { code: RET_K, k: ERRNO_EPERM },
    { code: RET_K, k: ALLOW },
  ];
  const at = { refuse: steps.length - 2, allow: steps.length - 1 };
  // Jumps are relative: they skip that many instructions after their own.
  const offset = (i: number, target: Target | undefined) => (target === undefined || target === 'next' ? 0 : at[target] - i - 1);
  const bytes = Buffer.alloc(steps.length * 8);
  steps.forEach((step, i) => {
    // The arch check: equal goes on (to load the call's number), else to the kill right after it.
    const [jt, jf] = i === 1 ? [1, 0] : [offset(i, step.jt), offset(i, step.jf)];
    bytes.writeUInt16LE(step.code, i * 8);
    bytes.writeUInt8(jt, i * 8 + 2);
    bytes.writeUInt8(jf, i * 8 + 3);
    bytes.writeUInt32LE(step.k >>> 0, i * 8 + 4);
  });
  return bytes;
}
