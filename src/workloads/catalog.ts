// Discovers workloads: every folder under workloads/ with a workload.yaml (folders starting with
// "_" hold shared adapters). A workload declares the requests every runtime must answer exactly.
import { readdir, readFile, access } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { WORKLOADS_DIR } from '../paths.js';
import { UserError } from '../errors.js';

const RequestSchema = z
  .object({
    path: z.string().startsWith('/'),
    method: z.enum(['GET', 'POST', 'PUT', 'DELETE', 'PATCH']).default('GET'),
    body: z.string().optional(),
    expect: z.object({ status: z.number().int(), body: z.string() }).strict(),
  })
  .strict();

const WorkloadSchema = z
  .object({
    name: z.string(),
    language: z.enum(['js', 'c']),
    handler: z.string(),
    requests: z.array(RequestSchema).min(1),
  })
  .strict();

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
  const dir = join(WORKLOADS_DIR, name);
  const file = join(dir, 'workload.yaml');
  const parsed = WorkloadSchema.safeParse(parse(await readFile(file, 'utf8')));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UserError(`${file}: ${issue.path.join('.') || '(top level)'}: ${issue.message}`);
  }
  return { ...parsed.data, dir };
}
