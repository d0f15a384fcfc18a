// The front's stages when composed: typed calls to the check and shape components' exports,
// linked into the same component by wac (no network, no serialization beyond the canonical ABI).
import { run as runCheck } from 'coldbench:pipeline/check';
import { run as runShape } from 'coldbench:pipeline/shape';

export function check(line) {
  try {
    return { ok: true, value: runCheck(line) };
  } catch (error) {
    // A result's err arrives as a thrown error carrying the payload.
    if (typeof error?.payload === 'string') return { ok: false, error: error.payload };
    throw error;
  }
}

export function shape(checked) {
  return runShape(checked);
}
