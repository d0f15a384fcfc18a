// An engine socket this user may not open is a group problem, not an engine that is down.
import { describe, expect, it } from 'vitest';
import { socketDenied } from '../../src/runtimes/socket-access.js';

const denied = Object.assign(new Error('connect EACCES /var/run/docker.sock'), { code: 'EACCES' });
const refused = Object.assign(new Error('connect ECONNREFUSED /var/run/docker.sock'), { code: 'ECONNREFUSED' });

describe('a denied engine socket', () => {
  it('tells a docker user to join the docker group, and podman users what its root-only socket needs', () => {
    expect(socketDenied(denied, '/var/run/docker.sock', 'docker')).toMatchObject({
      available: false,
      reason: expect.stringMatching(/ may not use \/var\/run\/docker\.sock \(permission denied\)$/),
      fix: expect.stringMatching(/sudo usermod -aG docker \S+`, then `newgrp docker`/),
    });
    expect(socketDenied(denied, '/run/podman/podman.sock', 'podman')?.fix).toMatch(
      /root's alone: run coldbench as root .*sudo chgrp docker \/run\/podman\/podman\.sock/,
    );
  });

  it('leaves every other error to the engine-down message', () => {
    expect(socketDenied(refused, '/var/run/docker.sock', 'docker')).toBeUndefined();
    expect(socketDenied(new Error('boom'), '/var/run/docker.sock', 'docker')).toBeUndefined();
  });
});
