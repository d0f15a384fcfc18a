// Workloads written in several languages declare the same requests and the same answers, byte for
// byte: with `verify` (every runtime answers exactly as declared) this proves the twins identical.
import { describe, expect, it } from 'vitest';
import { listWorkloads, loadWorkload } from '../../src/workloads/catalog.js';

const TWINS: Record<string, string[]> = {
  hello: ['hello-c', 'hello-py'],
  json: ['json-py'],
  infer: ['infer-c', 'infer-py'],
};

describe('workload twins', () => {
  it.each(Object.entries(TWINS))('%s and its twins in other languages declare the same requests and answers', async (name, twins) => {
    const declared = async (workload: string) => (await loadWorkload(workload)).requests;
    const expected = await declared(name);
    for (const twin of twins) expect({ twin, requests: await declared(twin) }).toEqual({ twin, requests: expected });
  });

  it('hello, json and infer exist in Python; infer in C, JS and Python', async () => {
    const all = await listWorkloads();
    expect(all).toEqual(expect.arrayContaining(['hello-py', 'json-py', 'infer', 'infer-c', 'infer-py']));
    expect((await loadWorkload('infer-py')).language).toBe('python');
  });
});
