// Opens written reports in a real browser: Debian's chromium, driven by playwright-core (no
// browser download). Where /usr/bin/chromium is missing, it is installed with apt-get when this
// runs as root; if that is impossible the tests are skipped with the reason in their title and
// on stderr. Set SEQLEARN_REQUIRE_BROWSER=1 to fail instead of skipping.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeReport } from './write-report';

const CHROMIUM = '/usr/bin/chromium';
const fixtures = fileURLToPath(new URL('./__fixtures__', import.meta.url));

/** The reason the browser is unavailable, or undefined once /usr/bin/chromium exists. */
function ensureChromium(): string | undefined {
  if (existsSync(CHROMIUM)) return undefined;
  if (process.platform !== 'linux') return `${CHROMIUM} is missing and this is not Linux`;
  if (process.getuid?.() !== 0) return `${CHROMIUM} is missing and apt-get needs root`;
  if (!existsSync('/usr/bin/apt-get')) return `${CHROMIUM} is missing and there is no apt-get`;
  const apt = (args: string[]) =>
    execFileSync('apt-get', args, {
      stdio: 'pipe',
      timeout: 600_000,
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  try {
    apt(['install', '-y', '-qq', 'chromium']);
  } catch {
    try {
      apt(['update', '-qq']);
      apt(['install', '-y', '-qq', 'chromium']);
    } catch (error) {
      const stderr = String((error as { stderr?: Buffer }).stderr ?? error).trim();
      return `${CHROMIUM} is missing and apt-get install chromium failed: ${stderr.split('\n').pop()}`;
    }
  }
  return existsSync(CHROMIUM) ? undefined : `apt-get installed chromium but ${CHROMIUM} is missing`;
}

const unavailable = ensureChromium();
if (unavailable) {
  if (process.env.SEQLEARN_REQUIRE_BROWSER === '1') throw new Error(unavailable);
  process.stderr.write(`@seqlearn/report browser tests SKIPPED: ${unavailable}\n`);
}

describe.skipIf(unavailable !== undefined)(
  `report.html in Chromium${unavailable ? ` (skipped: ${unavailable})` : ''}`,
  () => {
    let browser: Browser;
    let tmp: string;
    beforeAll(async () => {
      tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'seqlearn-report-browser-'));
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--no-first-run',
        ],
      });
    });
    afterAll(async () => {
      await browser?.close();
      if (tmp) await fs.rm(tmp, { recursive: true, force: true });
    });

    for (const fixture of ['har-quick', 'names-quick']) {
      it(`draws every chart of the ${fixture} report offline, with no console errors`, async () => {
        const out = path.join(tmp, fixture);
        const { html, svgs } = await writeReport(path.join(fixtures, fixture), { out });
        const context = await browser.newContext({
          offline: true,
          viewport: { width: 1280, height: 900 },
        });
        const page = await context.newPage();
        const errors: string[] = [];
        const requests: string[] = [];
        page.on('console', (m) => {
          if (m.type() === 'error') errors.push(m.text());
        });
        page.on('pageerror', (e) => errors.push(e.message));
        page.on('request', (r) => requests.push(r.url()));
        await page.goto(pathToFileURL(html).href);
        await page.waitForSelector('body[data-charts-done]', { timeout: 60_000 });

        const charts = await page.$$eval('[data-chart]', (els) =>
          els.map((el) => ({
            name: el.getAttribute('data-chart'),
            rendered: el.getAttribute('data-rendered'),
            drawn: el.querySelector('svg, canvas') !== null,
            marks: el.querySelectorAll('.role-mark > *').length,
          })),
        );
        expect(charts.map((c) => c.name)).toEqual(svgs.map((f) => path.basename(f, '.svg')));
        for (const chart of charts) {
          expect(chart, chart.name ?? '').toMatchObject({ rendered: 'true', drawn: true });
          expect(chart.marks, chart.name ?? '').toBeGreaterThan(0);
        }
        expect(errors).toEqual([]);
        expect(requests.filter((u) => !/^(file|data|blob|about):/.test(u))).toEqual([]);

        // Other runs' confusion matrices are collapsed, and open on a click.
        const details = page.locator('details.run:has(.chart)').first();
        const chart = details.locator('.chart svg').first();
        expect(await chart.isVisible()).toBe(false);
        await details.locator('summary').click();
        await expect.poll(() => chart.isVisible()).toBe(true);

        const shot = path.join(out, 'report.png');
        await page.screenshot({ path: shot, fullPage: true });
        const png = await fs.readFile(shot);
        expect(png.subarray(1, 4).toString()).toBe('PNG');
        if (process.env.SEQLEARN_REPORT_SCREENSHOT && fixture === 'har-quick') {
          await fs.copyFile(shot, process.env.SEQLEARN_REPORT_SCREENSHOT);
        }
        await context.close();
      });
    }
  },
);
