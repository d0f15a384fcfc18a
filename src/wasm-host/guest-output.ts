// Guest stdout/stderr in the Wasm host: a tenant that prints in a loop must not fill the host's
// pipe or the harness's logs, nor silence the other tenants. A token bucket per tenant (burst `burstBytes`, refilled at
// `bytesPerSec`): a write beyond it is truncated, the rest dropped and counted, and the next write
// that fits first says how many bytes were dropped.
export interface GuestOutputOptions {
  burstBytes: number;
  bytesPerSec: number;
  sink: (bytes: Uint8Array) => void;
  /** Named in the note about dropped bytes. */
  tenant?: string;
  /** Milliseconds; injectable so the limit is tested without waiting. */
  now?: () => number;
}

export const GUEST_OUTPUT_DEFAULTS = { burstBytes: 8 * 1024, bytesPerSec: 4 * 1024 } as const;

export class GuestOutputLimit {
  private tokens: number;
  private last: number;
  private droppedSinceNote = 0;
  /** Bytes dropped since the limit was made (for a tenant: since it was added). */
  droppedBytes = 0;
  private readonly now: () => number;

  constructor(private readonly options: GuestOutputOptions) {
    this.now = options.now ?? (() => performance.now());
    this.tokens = options.burstBytes;
    this.last = this.now();
  }

  write(bytes: Uint8Array): void {
    const now = this.now();
    this.tokens = Math.min(this.options.burstBytes, this.tokens + ((now - this.last) / 1000) * this.options.bytesPerSec);
    this.last = now;
    if (this.droppedSinceNote > 0 && this.tokens >= 1) {
      const who = this.options.tenant === undefined ? '' : `tenant ${this.options.tenant}: `;
      const note = new TextEncoder().encode(`[coldbench: ${who}${this.droppedSinceNote} bytes of guest output dropped]\n`);
      this.options.sink(note);
      this.droppedSinceNote = 0;
    }
    const allowed = Math.max(0, Math.min(bytes.length, Math.floor(this.tokens)));
    if (allowed > 0) this.options.sink(bytes.subarray(0, allowed));
    this.tokens -= allowed;
    const dropped = bytes.length - allowed;
    this.droppedSinceNote += dropped;
    this.droppedBytes += dropped;
  }
}
