// The history page as a person sees it: opened offline in headless Chromium, every chart drawn with
// a panel per machine, the change point marked, the filters working, nothing fetched, no errors.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { judge } from '../src/measure/registry.js';
import { renderHistory } from '../src/report/history-page.js';
import { machineKey } from '../src/store/machine.js';
import type { StoredRun } from '../src/store/read.js';
import { buildSeries, seriesChanges } from '../src/store/series.js';
import { tempDir } from './helpers.js';
import { historyRuns } from './store-fixtures.js';

let browser: Browser;
beforeAll(async () => {
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
});
afterAll(async () => {
  await browser?.close();
});

describe('the history page in a browser', () => {
  it('draws a panel per machine, marks the step, and filters by workload and runtime', async () => {
    const wobble = (i: number) => 1 + (((i * 7919) % 7) - 3) / 100;
    const runs = [
      ...historyRuns({ machine: 'x64-box', runs: 30, level: (i) => (i < 15 ? 100 : 125) * wobble(i) }),
      ...historyRuns({ machine: 'arm-box', arch: 'arm64', runs: 30, level: (i) => 160 * wobble(i) }),
      ...historyRuns({ machine: '<b>hostile</b>', runs: 10, level: (i) => 90 * wobble(i), scenarioName: 'other' }),
    ];
    const stored: StoredRun[] = runs.map((r) => ({
      runId: r.runId,
      machine: machineKey(r.fingerprint),
      arch: r.fingerprint.arch,
      scenario: r.scenario.name,
      status: r.status,
      startedAt: r.startedAt,
      gitSha: r.fingerprint.gitSha,
      gitDirty: null,
    }));
    const series = buildSeries(stored, new Map(runs.map((r) => [r.runId, r.summaries])), judge);
    const changes = seriesChanges(series);
    expect(
      changes.map((c) => `${c.series.machine} ${c.series.runtime} ${c.series.quantity} ${c.from.gitSha.slice(0, 4)}..${c.to.gitSha.slice(0, 4)}`),
    ).toContain('Test CPU of x64-box · x64 · 2 cores · 24 GiB docker coldstart total 0014..0015');
    const out = join(await tempDir(), 'history.html');
    await writeFile(out, await renderHistory(series, changes, { runs: runs.length, machines: 3, store: 'test' }));

    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const problems: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    page.on('pageerror', (e) => problems.push(String(e)));
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(pathToFileURL(out).href);
    await page.evaluate(() => (window as unknown as { historyReady: Promise<unknown> }).historyReady);
    const charts = page.locator('.chart');
    expect(await charts.count()).toBeGreaterThan(5);
    for (const chart of await charts.all())
      expect(await chart.locator('svg .mark-line path').count(), (await chart.getAttribute('id')) ?? '').toBeGreaterThan(0);
    const first = page.locator('.chart-section', { hasText: 'synthetic · hello: coldstart total (ms)' });
    // Two machines ran the "synthetic" scenario: two panels, each with its header.
    expect(await first.locator('svg').textContent()).toContain('Test CPU of arm-box · arm64');
    expect(await first.locator('svg .mark-rule line[stroke-dasharray]').count()).toBeGreaterThan(0); // the change point
    expect(await page.locator('tr.regression').filter({ hasText: 'coldstart total' }).filter({ hasText: '0014cccccc..0015cccccc' }).count()).toBe(1);
    expect(await page.locator('body').textContent()).toContain('<b>hostile</b>');
    expect(await page.locator('b', { hasText: 'hostile' }).count()).toBe(0);

    // Filters: a scenario hides the others' charts; a runtime leaves only its lines and change points.
    await page.selectOption('#f-scenario', 'other');
    expect(await page.locator('.chart-section:visible').count()).toBe(await page.locator('.chart-section[data-scenario="other"]').count());
    await page.selectOption('#f-scenario', 'all');
    const linesBefore = await first.locator('svg .mark-line path').count();
    await page.selectOption('#f-runtime', 'wasm');
    await page.waitForFunction(() => document.querySelectorAll('tr[data-runtime]:not([hidden])').length === 0);
    await expect.poll(async () => first.locator('svg .mark-line path').count()).toBeLessThan(linesBefore);
    expect(problems).toEqual([]);
    expect(requests.filter((url) => !url.startsWith('file://'))).toEqual([]);
    await page.close();
  });
});
