// In-memory wasi:io (error, poll, streams) for the Wasm host. Requests and responses live in
// memory, so every pollable is ready at once and streams are byte buffers.
// Conventions of jco's glue: a `result` error is thrown as its payload; resources are classes.

export class IoError {
  constructor(private readonly message: string) {}
  toDebugString(): string {
    return this.message;
  }
}

export class Pollable {
  ready(): boolean {
    return true;
  }
  block(): void {}
}

export function poll(list: Pollable[]): Uint32Array {
  return Uint32Array.from(list.keys());
}

const CLOSED = { tag: 'closed' } as const;

/** Reads out of a byte buffer; closed once everything was read. */
export class InputStream {
  private offset = 0;
  constructor(private readonly bytes: Uint8Array = new Uint8Array(0)) {}

  read(len: bigint): Uint8Array {
    if (this.offset >= this.bytes.length) throw CLOSED;
    const end = Math.min(this.bytes.length, this.offset + Number(len));
    const chunk = this.bytes.slice(this.offset, end);
    this.offset = end;
    return chunk;
  }
  blockingRead(len: bigint): Uint8Array {
    return this.read(len);
  }
  skip(len: bigint): bigint {
    return BigInt(this.read(len).length);
  }
  blockingSkip(len: bigint): bigint {
    return this.skip(len);
  }
  subscribe(): Pollable {
    return new Pollable();
  }
}

/** Hands every write to `sink` (collecting a body, or forwarding guest stdout/stderr). */
export class OutputStream {
  constructor(private readonly sink: (bytes: Uint8Array) => void = () => {}) {}

  checkWrite(): bigint {
    return 1n << 20n;
  }
  write(contents: Uint8Array): void {
    this.sink(contents.slice());
  }
  blockingWriteAndFlush(contents: Uint8Array): void {
    this.write(contents);
  }
  flush(): void {}
  blockingFlush(): void {}
  subscribe(): Pollable {
    return new Pollable();
  }
  writeZeroes(len: bigint): void {
    this.write(new Uint8Array(Number(len)));
  }
  blockingWriteZeroesAndFlush(len: bigint): void {
    this.writeZeroes(len);
  }
  splice(): bigint {
    throw CLOSED;
  }
  blockingSplice(): bigint {
    throw CLOSED;
  }
}
