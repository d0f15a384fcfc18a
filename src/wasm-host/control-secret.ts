// The V8 host's side of the control secret (see protocol.ts): taken out of the environment when
// this module is evaluated (main.ts imports it first, before any module that could read or pass on
// the environment), compared in constant time on every control request.
import { createHash, timingSafeEqual } from 'node:crypto';
import { bearer, CONTROL_SECRET_ENV } from './protocol.js';

/** The secret, removed from the environment so that nothing started later inherits it. */
export const controlSecret: string | undefined = process.env[CONTROL_SECRET_ENV] || undefined;
delete process.env[CONTROL_SECRET_ENV];

// Digests have one length whatever was sent, so the comparison time says nothing about the secret.
const digest = (text: string) => createHash('sha256').update(text).digest();

/** A comparer of authorization headers against `Bearer <secret>`. */
export function authorizer(secret: string): (header: string | undefined) => boolean {
  const expected = digest(bearer(secret));
  return (header) => header !== undefined && timingSafeEqual(digest(header), expected);
}
