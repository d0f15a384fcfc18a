// A scenario setting that lists some of a fixed set of choices, each at most once (runtimes,
// platforms, a runtime's variants): one definition, so every such list is checked alike.
import { z } from 'zod';

export function choiceList<const T extends readonly [string, ...string[]]>(choices: T, what: string) {
  return z
    .array(z.enum(choices))
    .min(1)
    .max(choices.length)
    .refine((list) => new Set(list).size === list.length, `each ${what} at most once`);
}
