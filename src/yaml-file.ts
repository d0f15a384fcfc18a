// Reads a YAML file the user wrote (a scenario, a workload.yaml) against a zod schema. Every error
// is one line that names the file, the line when known, the field, and what was expected.
import { readFile, stat } from 'node:fs/promises';
import { type Document, isNode, isScalar, LineCounter, parseDocument, visit } from 'yaml';
import type { z } from 'zod';
import { UserError } from './errors.js';

/** Files larger than this are refused before parsing: no scenario or workload needs more. */
export const MAX_YAML_BYTES = 1024 * 1024;

/** The text of a regular file of at most MAX_YAML_BYTES (never a FIFO or a device). */
export async function readYamlText(file: string, what: string): Promise<string> {
  try {
    const info = await stat(file);
    if (!info.isFile()) throw new UserError(`${file}: not a regular file; expected a ${what} (YAML)`);
    if (info.size > MAX_YAML_BYTES) throw new UserError(`${file}: ${info.size} bytes; a ${what} may have at most ${MAX_YAML_BYTES} bytes`);
    return await readFile(file, 'utf8');
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw new UserError(`${file}: cannot read ${what} (${(error as NodeJS.ErrnoException).code ?? error})`);
  }
}

export function parseYaml<T>(file: string, text: string, parse: (value: unknown) => { success: true; data: T } | { success: false; error: z.ZodError }): T {
  const lines = new LineCounter();
  // yaml's own unique-key check is quadratic in a map's size (30,000 keys: 15 s); duplicateKey is linear.
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: false });
  const problem = doc.errors[0] ?? doc.warnings[0]; // warnings: unresolved (custom) tags
  if (problem) {
    const line = lines.linePos(problem.pos[0]).line;
    throw new UserError(`${file}${line ? `:${line}` : ''}: YAML ${doc.errors[0] ? 'syntax error' : 'error'}: ${problem.message.split('\n')[0]}`);
  }
  const duplicate = duplicateKey(doc);
  if (duplicate) {
    const line = duplicate.offset === undefined ? undefined : lines.linePos(duplicate.offset).line;
    throw new UserError(`${file}${line ? `:${line}` : ''}: YAML error: the key ${JSON.stringify(duplicate.key)} appears twice in one mapping`);
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 }) ?? {};
  } catch (error) {
    throw new UserError(`${file}: YAML error: ${(error as Error).message.split('\n')[0]}`);
  }
  const parsed = parse(value);
  if (!parsed.success) throw new UserError(describeIssue(file, doc, lines, parsed.error.issues[0]!));
  return parsed.data;
}

/** The first key that appears twice in one mapping, found in one pass. */
function duplicateKey(doc: Document): { key: string; offset?: number } | undefined {
  let found: { key: string; offset?: number } | undefined;
  visit(doc, {
    Map(_key, map) {
      const seen = new Set<string>();
      for (const pair of map.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        if (seen.has(key)) {
          found = { key, offset: isNode(pair.key) ? pair.key.range?.[0] : undefined };
          return visit.BREAK;
        }
        seen.add(key);
      }
      return undefined;
    },
  });
  return found;
}

function describeIssue(file: string, doc: Document, lines: LineCounter, issue: z.core.$ZodIssue): string {
  let path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
  let message = issue.message;
  if (issue.code === 'unrecognized_keys') {
    path = [...path, issue.keys[0]!];
    message = 'unknown field';
  } else if (issue.code === 'invalid_value') {
    message = `expected one of: ${issue.values.map(String).join(', ')}`;
  } else if (issue.code === 'invalid_type') {
    message = `expected ${issue.expected}`;
  }
  const field = path.length ? formatPath(path) : '(top level)';
  const line = lineOf(doc, lines, path);
  return `${file}${line ? `:${line}` : ''}: ${field}: ${message}`;
}

function lineOf(doc: Document, lines: LineCounter, path: (string | number)[]): number | undefined {
  // A missing field has no node: fall back to its closest parent that exists.
  for (let depth = path.length; depth >= 0; depth--) {
    const node = doc.getIn(path.slice(0, depth), true);
    if (isNode(node) && node.range) return lines.linePos(node.range[0]).line;
    if (depth > 0 && path.length) {
      const key = findKeyNode(doc, path.slice(0, depth));
      if (key !== undefined) return lines.linePos(key).line;
    }
  }
  return undefined;
}

function findKeyNode(doc: Document, path: (string | number)[]): number | undefined {
  // An unknown key's value may be null (no node): locate the key itself in its parent map.
  const parent = path.length > 1 ? doc.getIn(path.slice(0, -1), true) : doc.contents;
  const items = (parent as { items?: { key?: { value?: unknown; range?: [number, number, number] } }[] } | null)?.items;
  const pair = items?.find((item) => item.key?.value === path[path.length - 1]);
  return pair?.key?.range?.[0];
}

function formatPath(path: (string | number)[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}
