// The V8 host's side of the control secret (see protocol.ts): taken out of the environment at
// start, compared in constant time on every control request.
import { createHash, timingSafeEqual } from 'node:crypto';
import { CONTROL_SECRET_ENV, bearer } from './protocol.js';

/** Reads the secret and removes it from the environment, so nothing started later inherits it. */
export function takeControlSecret(): string | undefined {
  const secret = process.env[CONTROL_SECRET_ENV];
  delete process.env[CONTROL_SECRET_ENV];
  return secret || undefined;
}

// Digests have one length whatever was sent, so the comparison time says nothing about the secret.
const digest = (text: string) => createHash('sha256').update(text).digest();

/** A comparer of authorization headers against `Bearer <secret>`. */
export function authorizer(secret: string): (header: string | undefined) => boolean {
  const expected = digest(bearer(secret));
  return (header) => header !== undefined && timingSafeEqual(digest(header), expected);
}
