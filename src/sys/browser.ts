// The Chromium or Chrome that opens reports (the report tests, through playwright-core): the one
// CHROME_BIN or PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH names, else the first of the usual names on
// PATH. scripts/setup.sh looks in the same order. A snap is refused: its private /tmp cannot open
// the files the tests write there.
import { access, constants, open, realpath } from 'node:fs/promises';
import { basename, delimiter, isAbsolute, join } from 'node:path';
import type { OsRelease } from './os-release.js';

export const BROWSER_ENV = ['CHROME_BIN', 'PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH'] as const;
export const BROWSER_NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];

export type BrowserFound = { found: true; path: string } | { found: false; reason: string; fix: string };

async function executable(path: string): Promise<boolean> {
  return access(path, constants.X_OK).then(
    () => true,
    () => false,
  );
}

async function onPath(name: string, path: string): Promise<string | undefined> {
  if (isAbsolute(name)) return (await executable(name)) ? name : undefined;
  for (const dir of path.split(delimiter).filter(Boolean)) if (await executable(join(dir, name))) return join(dir, name);
  return undefined;
}

/** What installs a browser on this distribution (Ubuntu's chromium package is a snap). */
export function browserFix(os: OsRelease): string {
  return os.id === 'ubuntu'
    ? 'install Google Chrome (https://www.google.com/chrome/), or run `npx playwright-core install chromium`; then set CHROME_BIN to its path'
    : 'run `bash scripts/setup.sh` (or `sudo apt-get install chromium`), or set CHROME_BIN to a Chrome or Chromium';
}

export async function findBrowser(os: OsRelease, env: NodeJS.ProcessEnv = process.env): Promise<BrowserFound> {
  for (const variable of BROWSER_ENV) {
    const named = env[variable];
    if (!named) continue;
    const path = await onPath(named, env.PATH ?? '');
    if (!path) return { found: false, reason: `${variable}=${named} is not an executable`, fix: browserFix(os) };
    return checked(path, os);
  }
  for (const name of BROWSER_NAMES) {
    const path = await onPath(name, env.PATH ?? '');
    if (path) return checked(path, os);
  }
  return { found: false, reason: `no ${BROWSER_NAMES.join(', ')} on PATH and neither ${BROWSER_ENV.join(' nor ')} set`, fix: browserFix(os) };
}

async function firstBytes(path: string, length: number): Promise<string> {
  const file = await open(path).catch(() => undefined);
  if (!file) return '';
  try {
    const { buffer, bytesRead } = await file.read(Buffer.alloc(length), 0, length, 0);
    return buffer.subarray(0, bytesRead).toString('latin1');
  } finally {
    await file.close();
  }
}

/** A snap: /snap/bin/chromium links to /usr/bin/snap; Ubuntu's /usr/bin/chromium-browser is a script that runs it. */
async function isSnap(path: string): Promise<boolean> {
  const real = await realpath(path).catch(() => path);
  if (real.startsWith('/snap/') || basename(real) === 'snap') return true;
  const head = await firstBytes(real, 4096);
  return head.startsWith('#!') && head.includes('/snap/bin/');
}

async function checked(path: string, os: OsRelease): Promise<BrowserFound> {
  if (await isSnap(path)) return { found: false, reason: `${path} is a snap (its private /tmp cannot open the reports)`, fix: browserFix(os) };
  return { found: true, path };
}
