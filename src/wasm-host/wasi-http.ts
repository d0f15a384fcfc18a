// In-memory wasi:http/types for the Wasm host: the host builds an IncomingRequest from the HTTP
// request it received, the guest answers through ResponseOutparam, and the host reads the
// collected OutgoingResponse back. (preview2-shim cannot construct incoming requests.)
import { InputStream, OutputStream, Pollable } from './wasi-io.js';

type FieldEntry = [string, Uint8Array];

export class Fields {
  private entriesList: FieldEntry[] = [];
  constructor(private readonly immutable = false) {}

  static fromList(entries: FieldEntry[]): Fields {
    const fields = new Fields();
    for (const [name, value] of entries) fields.entriesList.push([name.toLowerCase(), value]);
    return fields;
  }
  get(name: string): Uint8Array[] {
    const key = name.toLowerCase();
    return this.entriesList.filter(([n]) => n === key).map(([, v]) => v);
  }
  has(name: string): boolean {
    return this.get(name).length > 0;
  }
  set(name: string, values: Uint8Array[]): void {
    this.mutable();
    this.delete(name);
    for (const value of values) this.entriesList.push([name.toLowerCase(), value]);
  }
  delete(name: string): void {
    this.mutable();
    const key = name.toLowerCase();
    this.entriesList = this.entriesList.filter(([n]) => n !== key);
  }
  append(name: string, value: Uint8Array): void {
    this.mutable();
    this.entriesList.push([name.toLowerCase(), value]);
  }
  entries(): FieldEntry[] {
    return this.entriesList.map(([n, v]) => [n, v]);
  }
  clone(): Fields {
    return Fields.fromList(this.entries());
  }
  private mutable(): void {
    if (this.immutable) throw { tag: 'immutable' };
  }
  static frozen(entries: FieldEntry[]): Fields {
    const fields = new Fields(true);
    fields.entriesList = entries;
    return fields;
  }
}

export type Method = { tag: string; val?: string };

const KNOWN_METHODS = new Set(['get', 'head', 'post', 'put', 'delete', 'connect', 'options', 'trace', 'patch']);

export function toMethod(name: string): Method {
  const lower = name.toLowerCase();
  return KNOWN_METHODS.has(lower) ? { tag: lower } : { tag: 'other', val: name };
}

export class IncomingRequest {
  private consumed = false;
  constructor(
    private readonly requestMethod: Method,
    private readonly target: string,
    private readonly headerEntries: FieldEntry[],
    private readonly body: Uint8Array,
  ) {}

  method(): Method {
    return this.requestMethod;
  }
  pathWithQuery(): string | undefined {
    return this.target;
  }
  scheme(): { tag: string } | undefined {
    return { tag: 'HTTP' };
  }
  authority(): string | undefined {
    return undefined;
  }
  headers(): Fields {
    return Fields.frozen(this.headerEntries);
  }
  consume(): IncomingBody {
    if (this.consumed) throw undefined; // result<incoming-body> has no error payload
    this.consumed = true;
    return new IncomingBody(this.body);
  }
}

export class IncomingBody {
  private streamed = false;
  constructor(private readonly bytes: Uint8Array) {}

  stream(): InputStream {
    if (this.streamed) throw undefined;
    this.streamed = true;
    return new InputStream(this.bytes);
  }
  static finish(_body: IncomingBody): FutureTrailers {
    return new FutureTrailers();
  }
}

export class FutureTrailers {
  subscribe(): Pollable {
    return new Pollable();
  }
  get(): { tag: 'ok'; val: { tag: 'ok'; val: undefined } } {
    return { tag: 'ok', val: { tag: 'ok', val: undefined } };
  }
}

export class OutgoingBody {
  readonly chunks: Uint8Array[] = [];
  finished = false;
  private written = false;

  write(): OutputStream {
    if (this.written) throw undefined;
    this.written = true;
    return new OutputStream((bytes) => this.chunks.push(bytes));
  }
  static finish(body: OutgoingBody, _trailers: Fields | undefined): void {
    body.finished = true;
  }
}

export class OutgoingResponse {
  status = 200;
  outgoingBody: OutgoingBody | undefined;
  constructor(readonly fields: Fields) {}

  statusCode(): number {
    return this.status;
  }
  setStatusCode(status: number): void {
    if (status < 100 || status > 999) throw undefined;
    this.status = status;
  }
  headers(): Fields {
    return this.fields;
  }
  body(): OutgoingBody {
    if (this.outgoingBody) throw undefined;
    this.outgoingBody = new OutgoingBody();
    return this.outgoingBody;
  }
}

export type ResponseResult = { tag: 'ok'; val: OutgoingResponse } | { tag: 'err'; val: unknown };

export class ResponseOutparam {
  result: ResponseResult | undefined;
  static set(param: ResponseOutparam, response: ResponseResult): void {
    param.result = response;
  }
}

/**
 * Outgoing HTTP is not granted. A guest may still build a request (StarlingMonkey's `fetch` does
 * before it sends), so the request resources exist; sending it is refused with the error-code
 * `HTTP-request-denied`, which the guest sees as an error (`fetch` rejects) instead of a trap.
 */
export class OutgoingRequest {
  private requestMethod: Method = { tag: 'get' };
  private target: string | undefined;
  private requestScheme: { tag: string; val?: string } | undefined;
  private requestAuthority: string | undefined;
  private outgoingBody: OutgoingBody | undefined;
  constructor(private readonly fields: Fields) {}

  body(): OutgoingBody {
    if (this.outgoingBody) throw undefined;
    this.outgoingBody = new OutgoingBody();
    return this.outgoingBody;
  }
  method(): Method {
    return this.requestMethod;
  }
  setMethod(method: Method): void {
    this.requestMethod = method;
  }
  pathWithQuery(): string | undefined {
    return this.target;
  }
  setPathWithQuery(target: string | undefined): void {
    this.target = target;
  }
  scheme(): { tag: string; val?: string } | undefined {
    return this.requestScheme;
  }
  setScheme(scheme: { tag: string; val?: string } | undefined): void {
    this.requestScheme = scheme;
  }
  authority(): string | undefined {
    return this.requestAuthority;
  }
  setAuthority(authority: string | undefined): void {
    this.requestAuthority = authority;
  }
  headers(): Fields {
    return this.fields;
  }
}

/** Timeouts of an outgoing request: kept, since nothing is ever sent. */
export class RequestOptions {
  private timeouts = new Map<string, bigint | undefined>();
  connectTimeout(): bigint | undefined {
    return this.timeouts.get('connect');
  }
  setConnectTimeout(duration: bigint | undefined): void {
    this.timeouts.set('connect', duration);
  }
  firstByteTimeout(): bigint | undefined {
    return this.timeouts.get('first-byte');
  }
  setFirstByteTimeout(duration: bigint | undefined): void {
    this.timeouts.set('first-byte', duration);
  }
  betweenBytesTimeout(): bigint | undefined {
    return this.timeouts.get('between-bytes');
  }
  setBetweenBytesTimeout(duration: bigint | undefined): void {
    this.timeouts.set('between-bytes', duration);
  }
}

/** wasi:http/outgoing-handler.handle: every request is denied (a `result` error, thrown as its payload). */
export function refuseOutgoing(_request: OutgoingRequest, _options: RequestOptions | undefined): never {
  throw { tag: 'HTTP-request-denied' };
}

/** Never created (no request is ever sent): these exist only because the world names them. */
class Unavailable {
  constructor() {
    throw new Error('outgoing HTTP is not available in the coldbench Wasm host');
  }
}
export class IncomingResponse extends Unavailable {}
export class FutureIncomingResponse extends Unavailable {}

export function httpErrorCode(): undefined {
  return undefined;
}
