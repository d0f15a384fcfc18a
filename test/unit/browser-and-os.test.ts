// The pure parts of finding this machine's tools: os-release(5) lines, clang's LLVM version, and
// which browser the report tests open (CHROME_BIN first, then PATH; a snap refused; the fix per distribution).
import { chmod, mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findBrowser } from '../../src/sys/browser.js';
import { parseOsRelease } from '../../src/sys/os-release.js';
import { llvmMajor } from '../../src/workloads/wasm-c-toolchain.js';
import { tempDir } from '../basics.js';

const DEBIAN = parseOsRelease('PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nID=debian\n');
const UBUNTU = parseOsRelease('PRETTY_NAME="Ubuntu 24.04.3 LTS"\nID=ubuntu\nID_LIKE=debian\nVERSION_ID="24.04"\nVERSION_CODENAME=noble\n');

async function executable(path: string, text = '#!/bin/sh\nexit 0\n'): Promise<string> {
  await writeFile(path, text);
  await chmod(path, 0o755);
  return path;
}

describe('this machine, as the fixes name it', () => {
  it('reads os-release: id, version and pretty name, quotes removed', () => {
    expect(DEBIAN).toEqual({ id: 'debian', version: '12', pretty: 'Debian GNU/Linux 12 (bookworm)' });
    expect(UBUNTU).toEqual({ id: 'ubuntu', version: '24.04', pretty: 'Ubuntu 24.04.3 LTS' });
    expect(parseOsRelease('')).toEqual({ id: 'unknown', version: '', pretty: 'unknown' });
  });

  it("reads clang's LLVM major version from Debian's and Ubuntu's first line", () => {
    expect(llvmMajor('Debian clang version 14.0.6\nTarget: x86_64-pc-linux-gnu')).toBe('14');
    expect(llvmMajor('Ubuntu clang version 18.1.3 (1ubuntu1)\nTarget: aarch64-unknown-linux-gnu')).toBe('18');
    expect(llvmMajor('gcc (Debian 12.2.0-14) 12.2.0')).toBeUndefined();
  });

  it('finds the browser CHROME_BIN names before any on PATH, and one on PATH otherwise', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, 'bin'));
    const onPath = await executable(join(dir, 'bin', 'google-chrome'));
    const named = await executable(join(dir, 'my-chrome'));
    expect(await findBrowser(DEBIAN, { PATH: join(dir, 'bin'), CHROME_BIN: named })).toEqual({ found: true, path: named });
    expect(await findBrowser(DEBIAN, { PATH: join(dir, 'bin') })).toEqual({ found: true, path: onPath });
  });

  it('says why and how to fix when none is usable: none at all, a CHROME_BIN that is not there, a snap', async () => {
    const dir = await tempDir();
    const none = await findBrowser(UBUNTU, { PATH: dir });
    expect(none).toMatchObject({ found: false, reason: expect.stringMatching(/no chromium, .* on PATH/) });
    expect(!none.found && none.fix).toMatch(/Google Chrome|playwright-core install chromium/);
    const debian = await findBrowser(DEBIAN, { PATH: dir });
    expect(!debian.found && debian.fix).toMatch(/apt-get install chromium/);
    expect(await findBrowser(DEBIAN, { PATH: dir, CHROME_BIN: join(dir, 'nope') })).toMatchObject({
      found: false,
      reason: `CHROME_BIN=${join(dir, 'nope')} is not an executable`,
    });
    // Ubuntu's /usr/bin/chromium-browser: a script that runs the snap.
    await mkdir(join(dir, 'bin'));
    await executable(join(dir, 'bin', 'chromium-browser'), '#!/bin/sh\nexec /snap/bin/chromium "$@"\n');
    expect(await findBrowser(UBUNTU, { PATH: join(dir, 'bin') })).toMatchObject({ found: false, reason: expect.stringMatching(/is a snap/) });
    // /snap/bin/chromium itself: a link to /usr/bin/snap.
    await mkdir(join(dir, 'snapbin'));
    await executable(join(dir, 'snap'));
    await symlink(join(dir, 'snap'), join(dir, 'snapbin', 'chromium'));
    expect(await findBrowser(UBUNTU, { PATH: join(dir, 'snapbin') })).toMatchObject({ found: false, reason: expect.stringMatching(/is a snap/) });
  });
});
