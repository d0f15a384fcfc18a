// Every runtime of the registry through the same conformance suite (test/runtime-conformance.ts),
// the tests-only fake runtime included.
import { runtimeDescriptor, runtimeDescriptors } from '../src/runtimes/registry.js';
import { testRuntimeDriver } from './runtime-conformance.js';

process.env.COLDBENCH_TEST_RUNTIMES = '1';
for (const descriptor of runtimeDescriptors()) await testRuntimeDriver(descriptor);
await testRuntimeDriver(runtimeDescriptor('docker'), { label: 'docker (bridge, published on 127.0.0.1)', settings: { docker: { network: 'bridge' } } });
await testRuntimeDriver(runtimeDescriptor('docker'), { label: 'docker (hardening: strict)', settings: { docker: { hardening: 'strict' } } });
