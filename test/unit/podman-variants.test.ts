// podman is the docker runtime on another engine: its own default OCI runtime (crun, podman's
// default) names no variant, so a plain podman run records samples without one.
import { describe, expect, it } from 'vitest';
import { PODMAN_ENGINE } from '../../src/runtimes/container-engines.js';
import { podman } from '../../src/runtimes/podman.js';

const variantsOf = (settings: unknown) => podman.variants!(podman.options!.parse(settings));

describe('podman variants', () => {
  it('names no variant at its defaults (crun, create)', () => {
    expect(podman.options!.parse(undefined)).toMatchObject({ ociRuntimes: ['crun'], startModel: ['create'] });
    expect(variantsOf(undefined)).toBeUndefined();
    expect(variantsOf({ ociRuntimes: ['crun'] })).toBeUndefined();
  });

  it('names the start models, and an OCI runtime other than crun', () => {
    expect(variantsOf({ startModel: ['create', 'pre-created'] })).toEqual(['create', 'pre-created']);
    expect(variantsOf({ ociRuntimes: ['crun', 'runc'] })).toEqual(['crun', 'runc']);
  });

  it('is a container runtime of its own name, with ulimits that fit under this kind of machine', () => {
    expect(podman).toMatchObject({ name: 'podman', family: 'container' });
    expect(PODMAN_ENGINE.hostConfig.Ulimits).toEqual([
      { Name: 'nofile', Soft: 4096, Hard: 4096 },
      { Name: 'nproc', Soft: 4096, Hard: 4096 },
    ]);
  });
});
