// Every runtime of the registry through the same conformance suite (test/runtime-conformance.ts),
// the tests-only fake runtime included.
import { runtimeDescriptor, runtimeDescriptors } from '../src/runtimes/registry.js';
import { testRuntimeDriver } from './runtime-conformance.js';

process.env.COLDBENCH_TEST_RUNTIMES = '1';
for (const descriptor of runtimeDescriptors()) await testRuntimeDriver(descriptor);
await testRuntimeDriver(runtimeDescriptor('docker'), { label: 'docker (bridge, published on 127.0.0.1)', settings: { docker: { network: 'bridge' } } });
await testRuntimeDriver(runtimeDescriptor('docker'), { label: 'docker (hardening: strict)', settings: { docker: { hardening: 'strict' } } });
// Every OCI runtime and start model of docker that works here (an unavailable one skips, saying why).
for (const ociRuntimes of [['crun'], ['runsc']]) {
  await testRuntimeDriver(runtimeDescriptor('docker'), { label: `docker (${ociRuntimes[0]})`, settings: { docker: { ociRuntimes } } });
}
await testRuntimeDriver(runtimeDescriptor('docker'), {
  label: 'docker (runc and crun, pre-created)',
  settings: { docker: { ociRuntimes: ['runc', 'crun'], startModel: ['pre-created'] } },
});
await testRuntimeDriver(runtimeDescriptor('podman'), { label: 'podman (pre-created)', settings: { podman: { startModel: ['pre-created'] } } });
