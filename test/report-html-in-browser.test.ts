// The report as a person sees it: opened offline in headless Chromium or Chrome (the one
// src/sys/browser.ts finds, via playwright-core), every chart drawn, no console errors, nothing
// fetched, hostile names shown as text. A full-page screenshot goes to test-artifacts/report.png.
// Without a browser it skips with the reason and fix, unless COLDBENCH_REQUIRE_RUNTIMES requires one.

import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateClaims } from '../src/report/claims.js';
import { findBrowser } from '../src/sys/browser.js';
import { osRelease } from '../src/sys/os-release.js';
import { testable } from './availability.js';
import { syntheticResult, writeResult } from './fixtures.js';
import { ROOT, runCli, tempDir } from './helpers.js';

const HOSTILE = '<script>alert(1)</script>';
let browser: Browser;
const found = await findBrowser(await osRelease());
const available = testable('browser', found.found ? { available: true } : { available: false, reason: found.reason, fix: found.fix });

beforeAll(async () => {
  if (!found.found) return;
  browser = await chromium.launch({
    executablePath: found.path,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
});
afterAll(async () => {
  await browser?.close();
});

describe.skipIf(!available)(
  available ? 'the HTML report in a browser' : `the HTML report in a browser (skipped: ${!found.found && `${found.reason}; fix: ${found.fix}`})`,
  () => {
    it('draws every chart offline, fetches nothing, and shows hostile names as text', async () => {
      const dir = await tempDir();
      const x64 = syntheticResult({ scenarioName: HOSTILE, workload: HOSTILE });
      x64.scenario.name = HOSTILE; // results files are data: the report must not trust them
      x64.scenario.description = HOSTILE;
      x64.warnings = [{ kind: 'note', message: HOSTILE }];
      const arm = syntheticResult({ hostname: 'arm-box', arch: 'arm64', coldStartMs: { docker: 200, wasm: 6, process: 70 } });
      const files = [await writeResult(dir, 'x64.json', x64), await writeResult(dir, 'arm.json', arm)];
      const out = join(dir, 'report.html');
      const made = await runCli(['report', ...files, '--out', out]);
      expect(made.code).toBe(0);

      const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
      const problems: string[] = [];
      const requests: string[] = [];
      page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
      page.on('pageerror', (e) => problems.push(String(e)));
      page.on('dialog', (d) => {
        problems.push(`dialog: ${d.message()}`);
        void d.dismiss();
      });
      page.on('request', (r) => requests.push(r.url()));
      await page.goto(pathToFileURL(out).href);

      const charts = page.locator('.chart');
      expect(await charts.count()).toBe(5); // cold start, phases, memory, load, artifacts
      for (const chart of await charts.all()) {
        await chart.locator('svg').first().waitFor({ timeout: 15000 });
        const marks = await chart.locator('svg .mark-symbol path, svg .mark-rect path, svg .mark-line path').count();
        expect(marks, (await chart.getAttribute('id')) ?? '').toBeGreaterThan(0);
      }
      expect(problems).toEqual([]);
      expect(requests.filter((url) => !url.startsWith('file://'))).toEqual([]);
      expect(await page.locator('h1').textContent()).toContain(HOSTILE);
      expect(await page.locator('body').textContent()).toContain(`${HOSTILE}: wasm reached first response`);
      expect(await page.locator('text=Comparison').count()).toBeGreaterThan(0);
      // The Claims section names the hostile workload in its evidence, as text.
      const claims = await page.locator('#claims').textContent();
      expect(claims).toContain(`holds for ${HOSTILE} (JS) on wasm`);
      expect(await page.locator('#claims .claim').count()).toBe(evaluateClaims([x64, arm]).length); // one block per claim
      expect(await page.locator('script:not([type]):not([src])').count()).toBe(4); // 3 libraries + the renderer, nothing injected

      await mkdir(join(ROOT, 'test-artifacts'), { recursive: true });
      await page.screenshot({ path: join(ROOT, 'test-artifacts', 'report.png'), fullPage: true });
      await page.close();
    });
  },
);
