// Discovers workloads: every folder under workloads/ with a workload.yaml (folders starting with
// "_" hold shared adapters). A workload declares the requests every runtime must answer exactly.
import { access, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { UserError } from '../errors.js';
import { WORKLOADS_DIR } from '../paths.js';
import { parseYaml, readYamlText } from '../yaml-file.js';

// Header names as HTTP defines them (tokens); values without line breaks.
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$/;

const RequestSchema = z
  .object({
    path: z
      .string()
      .startsWith('/')
      .max(2000)
      .regex(/^[^\s]*$/, 'a path without spaces or line breaks')
      .describe('Request target: path and query, e.g. /sha256?kib=64.'),
    method: z.enum(['GET', 'POST', 'PUT', 'DELETE', 'PATCH']).default('GET'),
    headers: z
      .record(
        z.string().regex(HEADER_NAME, 'an HTTP header name'),
        z
          .string()
          .max(8000)
          .regex(/^[^\r\n]*$/, 'a value without line breaks'),
      )
      .optional()
      .describe('Request headers to send, e.g. { content-type: application/json }.'),
    body: z
      .string()
      .max(1024 * 1024)
      .optional()
      .describe('Request body (text).'),
    expect: z
      .object({
        status: z.number().int().min(100).max(599).describe('The exact status every runtime must answer.'),
        body: z.string().describe('The exact body every runtime must answer (compute it independently of the handler).'),
      })
      .strict(),
  })
  .strict();

export const WorkloadSchema = z
  .object({
    name: z
      .string()
      .regex(/^[A-Za-z0-9._-]{1,100}$/, 'letters, digits, ".", "_" or "-"')
      .describe('Must equal the folder name.'),
    description: z.string().max(1000).optional(),
    language: z
      .enum(['js', 'c', 'python', 'pipeline'])
      .describe(
        'js: handler.js exporting handle(request); c: handler.c implementing cb_handle (see _adapters/c/handler.h); python: handler.py defining handle(request); pipeline: stages in several languages, handler is the front (see docs/composition.md).',
      ),
    handler: z
      .string()
      .regex(/^[A-Za-z0-9._-]{1,100}$/, 'a file name in the workload folder')
      .describe('The handler source file in this folder.'),
    requests: z.array(RequestSchema).min(1).max(100).describe('Requests every runtime must answer exactly; the first is the one cold start waits for.'),
  })
  .strict();

export function workloadJsonSchema(): object {
  return { $schema: 'https://json-schema.org/draft/2020-12/schema', title: 'coldbench workload', ...z.toJSONSchema(WorkloadSchema, { io: 'input' }) };
}

export type WorkloadRequest = z.infer<typeof RequestSchema>;
export type Workload = z.infer<typeof WorkloadSchema> & { dir: string };

export async function listWorkloads(): Promise<string[]> {
  const entries = await readdir(WORKLOADS_DIR, { withFileTypes: true });
  const names: string[] = [];
  for (const entry of entries) {
    if (!entry.isDirectory() || entry.name.startsWith('_')) continue;
    try {
      await access(join(WORKLOADS_DIR, entry.name, 'workload.yaml'));
      names.push(entry.name);
    } catch {
      // a folder without workload.yaml is not a workload
    }
  }
  return names.sort();
}

export async function loadWorkload(name: string): Promise<Workload> {
  if (!/^[A-Za-z0-9._-]{1,100}$/.test(name) || name.startsWith('.') || name.startsWith('_')) throw new UserError(`"${name}" is not a workload name`);
  const dir = join(WORKLOADS_DIR, name);
  const file = join(dir, 'workload.yaml');
  const workload = parseYaml(file, await readYamlText(file, 'workload.yaml'), (value) => WorkloadSchema.safeParse(value));
  // The name goes into artifact paths and image tags: it must be the folder's, nothing else.
  if (workload.name !== name) throw new UserError(`${file}: name: expected "${name}" (the folder's name), got "${workload.name}"`);
  return { ...workload, dir };
}
