// docker's OCI runtimes and start models as variants: how they are named (none at the defaults, so
// today's samples stay as they were), what a scenario may ask for, and the fixes doctor gives.
import { describe, expect, it } from 'vitest';
import { docker } from '../../src/runtimes/docker.js';
import { fixFor } from '../../src/runtimes/docker-oci.js';
import { combinations } from '../../src/runtimes/docker-variants.js';
import { scenarioError } from '../basics.js';

const variantsOf = (settings: unknown) => docker.variants!(docker.options!.parse(settings));

describe('docker variants', () => {
  it('names no variant at the defaults (runc, create, default hardening): samples stay as before', () => {
    expect(variantsOf(undefined)).toBeUndefined();
    expect(variantsOf({ ociRuntimes: ['runc'], startModel: ['create'] })).toBeUndefined();
  });

  it('names each OCI runtime × start model combination, a dimension only when it is not at its default alone', () => {
    expect(variantsOf({ ociRuntimes: ['crun'] })).toEqual(['crun']);
    expect(variantsOf({ ociRuntimes: ['runc', 'crun', 'runsc'] })).toEqual(['runc', 'crun', 'runsc']);
    expect(variantsOf({ startModel: ['create', 'pre-created'] })).toEqual(['create', 'pre-created']);
    expect(variantsOf({ ociRuntimes: ['runc', 'crun'], startModel: ['create', 'pre-created'] })).toEqual([
      'runc/create',
      'runc/pre-created',
      'crun/create',
      'crun/pre-created',
    ]);
    // hardening keeps its own names, and combines like the others
    expect(variantsOf({ hardening: ['default', 'strict'] })).toEqual(['default', 'strict']);
    expect(variantsOf({ ociRuntimes: ['crun'], hardening: 'strict' })).toEqual(['crun/strict']);
  });

  it('makes every combination of any dimensions', () => {
    const made = combinations([
      { values: ['a', 'b'], default: 'a' },
      { values: ['x'], default: 'x' },
    ]);
    expect(made).toEqual([
      { label: 'a', values: ['a', 'x'] },
      { label: 'b', values: ['b', 'x'] },
    ]);
  });

  it('refuses an unknown OCI runtime or start model, and a repeated one, naming the field', () => {
    expect(scenarioError('name: s\nworkloads: [hello]\nruntimes: [docker]\ndocker:\n  ociRuntimes: [podman]\nmeasurements:\n  coldstart: {}\n')).toMatch(
      /docker\.ociRuntimes\[0\].*runc.*crun.*runsc/,
    );
    expect(scenarioError('name: s\nworkloads: [hello]\nruntimes: [docker]\ndocker:\n  startModel: [create, create]\nmeasurements:\n  coldstart: {}\n')).toMatch(
      /docker\.startModel.*each start model at most once/,
    );
  });

  it('gives the exact fix for the failures seen on machines like this one', () => {
    expect(fixFor('crun: cgroups in hybrid mode not supported, drop all controllers from cgroupv2: OCI runtime error')).toMatch(
      /mount -t cgroup -o hugetlb cgroup \/sys\/fs\/cgroup\/hugetlb/,
    );
    expect(fixFor('cannot run with network enabled in root network namespace')).toMatch(/--network=host/);
    expect(fixFor('Error response from daemon: unknown or invalid runtime name: crun')).toMatch(/daemon\.json/);
  });
});
