// Python workloads' toolchain: the pinned componentize-py version comes from the install script,
// a machine without it is told in one line what to run, and a failed build is one line naming the cause.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// The cache folder is read when the module loads: point it at an empty folder first.
const emptyCache = await mkdtemp(join(tmpdir(), 'coldbench-no-cache-'));
process.env.COLDBENCH_CACHE = emptyCache;
const toolchain = await import('../../src/workloads/python-toolchain.js');

afterAll(async () => {
  await rm(emptyCache, { recursive: true, force: true });
});

describe('the Python toolchain', () => {
  it('pins componentize-py in scripts/install-componentize-py.sh, and installs it under the cache', () => {
    expect(toolchain.COMPONENTIZE_PY_VERSION).toBe('0.25.1');
    expect(toolchain.COMPONENTIZE_PY_BIN).toBe(join(emptyCache, 'componentize-py-0.25.1', 'bin', 'componentize-py'));
    expect(() => toolchain.pinnedComponentizePyVersion('COMPONENTIZE_PY_VERSION=latest\n')).toThrow('expected a line COMPONENTIZE_PY_VERSION=X.Y.Z');
  });

  it('says in one line what to run when componentize-py is not installed', async () => {
    const error = await toolchain.componentizePyVersion().catch((e: Error) => e);
    expect(String((error as Error).message)).toBe(
      `componentize-py 0.25.1 is not installed (${toolchain.COMPONENTIZE_PY_BIN}); run \`bash scripts/install-componentize-py.sh\` (or \`bash scripts/setup.sh\`)`,
    );
  });

  it("names the handler's Python exception when componentize-py fails", () => {
    const stderr = [
      'Traceback (most recent call last):',
      '  File "/work/source/wasi_http.py", line 6, in <module>',
      '    from handler import handle',
      '  File "/work/source/handler.py", line 2, in <module>',
      '    import numpy',
      "ModuleNotFoundError: No module named 'numpy'",
      'AssertionError: the component could not be pre-initialized',
    ].join('\n');
    expect(toolchain.componentizePyFailure(stderr)).toBe("ModuleNotFoundError: No module named 'numpy'");
    expect(toolchain.componentizePyFailure('')).toBe('no reason given');
  });
});
