// Guest stdout/stderr in the V8 host: forwarded to the host's stderr, but rate-limited so a guest
// that prints in a loop cannot flood it (stderr on a pipe is synchronous in Node: a slow reader
// would stall every tenant). A token bucket over bytes; what does not fit is dropped and counted,
// and the count is reported on the next write that fits.
export interface OutputLimit {
  /** Sustained rate. */
  bytesPerSecond: number;
  /** Most bytes at once (also the cap of a single write). */
  burstBytes: number;
}

export const GUEST_OUTPUT_LIMIT: OutputLimit = { bytesPerSecond: 64 << 10, burstBytes: 64 << 10 };

export function limitedOutput(limit: OutputLimit, write: (bytes: Uint8Array) => void, now: () => number = () => performance.now()): (bytes: Uint8Array) => void {
  let tokens = limit.burstBytes;
  let last = now();
  let dropped = 0;
  return (bytes) => {
    const at = now();
    tokens = Math.min(limit.burstBytes, tokens + ((at - last) / 1000) * limit.bytesPerSecond);
    last = at;
    const fits = Math.min(bytes.length, Math.floor(tokens));
    if (fits > 0 && dropped > 0) {
      write(new TextEncoder().encode(`[coldbench V8 host: ${dropped} bytes of guest output dropped (over ${limit.bytesPerSecond} bytes/s)]\n`));
      dropped = 0;
    }
    if (fits > 0) write(bytes.subarray(0, fits));
    tokens -= fits;
    dropped += bytes.length - fits;
  };
}
