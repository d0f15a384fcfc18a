// What wasmtime-services asks its host for, per pipeline tenant: the two stages as tenants of their
// own with nothing granted, then the front granted exactly their URL prefixes and given them as
// environment variables.
import { describe, expect, it } from 'vitest';
import { stageRequests, stageTenantId } from '../../src/runtimes/wasmtime-services-driver.js';

const SERVICES = { front: 'f'.repeat(64), check: 'c'.repeat(64), shape: 's'.repeat(64) };
const url = (id: string) => `http://127.0.0.1:4000/t/${id}`;

describe('wasmtime-services add-tenant requests', () => {
  it('add the stages granted nothing, then the front granted exactly its two stages', () => {
    const { stages, front } = stageRequests(SERVICES, 'pipe-1', url, '/order');
    expect(stages).toEqual([
      { id: 'pipe-1.check', component: SERVICES.check, firstPath: '/' },
      { id: 'pipe-1.shape', component: SERVICES.shape, firstPath: '/' },
    ]);
    expect(front).toEqual({
      id: 'pipe-1',
      component: SERVICES.front,
      firstPath: '/order',
      outgoing: ['http://127.0.0.1:4000/t/pipe-1.check/', 'http://127.0.0.1:4000/t/pipe-1.shape/'],
      env: { PIPELINE_CHECK_URL: 'http://127.0.0.1:4000/t/pipe-1.check', PIPELINE_SHAPE_URL: 'http://127.0.0.1:4000/t/pipe-1.shape' },
    });
    expect(stageTenantId('pipe-1', 'front')).toBe('pipe-1');
  });

  it('say which stage has no service component', () => {
    expect(() => stageRequests({ front: SERVICES.front, check: SERVICES.check }, 'p', url, '/')).toThrow(
      "the pipeline's shape stage has no service component built",
    );
  });
});
