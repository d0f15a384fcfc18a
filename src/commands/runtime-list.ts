// `--runtimes a,b`: a list of runtime names, each one of `allowed`, each at most once.
import { UserError } from '../errors.js';

export function parseRuntimeList(option: string, allowed: readonly string[], what = 'expected one of'): string[] {
  const wanted = option
    .split(',')
    .map((r) => r.trim())
    .filter(Boolean);
  if (wanted.length === 0) throw new UserError(`--runtimes: expected a comma-separated list of runtimes, ${what}: ${allowed.join(', ')}`);
  for (const name of wanted) {
    if (!allowed.includes(name)) throw new UserError(`--runtimes: "${name}" is not a runtime here, ${what}: ${allowed.join(', ')}`);
  }
  if (new Set(wanted).size !== wanted.length) throw new UserError('--runtimes: a runtime is named twice');
  return wanted;
}
