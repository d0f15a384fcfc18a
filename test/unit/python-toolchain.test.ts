// Python workloads' toolchain: the pinned componentize-py version comes from the install script,
// a machine without it is told in one line what to run, and a failed build is one line naming the cause.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CACHE_DIR } from '../../src/runtimes/wasmtime-build.js';
import {
  COMPONENTIZE_PY_BIN,
  COMPONENTIZE_PY_VERSION,
  componentizePyFailure,
  componentizePyVersion,
  pinnedComponentizePyVersion,
} from '../../src/workloads/python-toolchain.js';

describe('the Python toolchain', () => {
  it('pins componentize-py in scripts/install-componentize-py.sh, and installs it under the cache', () => {
    expect(COMPONENTIZE_PY_VERSION).toBe('0.25.1');
    expect(COMPONENTIZE_PY_BIN).toBe(join(CACHE_DIR, 'componentize-py-0.25.1', 'bin', 'componentize-py'));
    expect(() => pinnedComponentizePyVersion('COMPONENTIZE_PY_VERSION=latest\n')).toThrow('expected a line COMPONENTIZE_PY_VERSION=X.Y.Z');
  });

  it('says in one line what to run when componentize-py is not installed', async () => {
    const missing = '/nonexistent/componentize-py-0.25.1/bin/componentize-py';
    await expect(componentizePyVersion(missing)).rejects.toThrow(
      `componentize-py 0.25.1 is not installed (${missing}); run \`bash scripts/install-componentize-py.sh\` (or \`bash scripts/setup.sh\`)`,
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
    expect(componentizePyFailure(stderr)).toBe("ModuleNotFoundError: No module named 'numpy'");
    expect(componentizePyFailure('')).toBe('no reason given');
  });
});
