/** Shared by the console-admin-* browser tests: a signed-in page on an admin route, and screenshots. */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Running } from '../../src/main.js';

export const ARTIFACTS = join(import.meta.dirname, '..', 'artifacts');

export interface Opened {
  page: Page;
  /** Fails on any uncaught page error or CSP violation, then closes the context. */
  close: () => Promise<void>;
}

/**
 * A fresh context (own sessionStorage, browser language `locale`) signed in through the form,
 * then sent to `#/admin/<section>` — the only ways in that survive the shell's rewrite (CONSOLE.md).
 */
export async function openAdmin(
  app: Running,
  browser: Browser,
  token: string,
  name: string,
  section: string,
  opts: { locale?: 'en' | 'zh'; width?: number } = {},
): Promise<Opened> {
  const width = opts.width ?? 1366;
  const context = await browser.newContext({
    locale: opts.locale === 'zh' ? 'zh-CN' : 'en-US',
    viewport: { width, height: width > 800 ? 768 : 740 },
  });
  context.setDefaultTimeout(10_000);
  // Anything the strict CSP refused (an inline style, a foreign script) is collected and fails the test at close.
  await context.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __cspViolations: string[] }).__cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (e) => seen.push(e.effectiveDirective));
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  await page.goto(`${app.url}/console`);
  await page.locator('#token').fill(token);
  await page.getByRole('button', { name: /^(Sign in|登录)$/ }).click();
  await page.locator('#who', { hasText: name }).waitFor();
  await page.goto(`${app.url}/console#/admin/${section}`);
  await page.locator('#view h1').waitFor();
  return {
    page,
    close: async () => {
      expect(errors, 'uncaught errors in the page').toEqual([]);
      const csp = await page.evaluate(() => ({
        violations: (window as unknown as { __cspViolations: string[] }).__cspViolations,
        // Inputs pick up an empty style="" under the test driver (not from our code); only a style with content would need unsafe-inline.
        styled: document.querySelectorAll('#view [style]:not([style=""])').length,
      }));
      expect(csp).toEqual({ violations: [], styled: 0 });
      await context.close();
    },
  };
}

/** test/artifacts/console-admin-<name>-<width>-<locale>.png, as CONSOLE.md names them. */
export async function shot(page: Page, name: string, locale: 'en' | 'zh' = 'en'): Promise<void> {
  await mkdir(ARTIFACTS, { recursive: true });
  const width = page.viewportSize()?.width ?? 1366;
  await page.screenshot({ path: join(ARTIFACTS, `console-admin-${name}-${width}-${locale}.png`), fullPage: true });
}

/** Nothing wider than the window: a table may scroll inside its own box, the page itself may not. */
export async function expectNoPageOverflow(page: Page): Promise<void> {
  const { scroll, client } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    client: document.documentElement.clientWidth,
  }));
  expect(scroll, 'the page is wider than the window').toBeLessThanOrEqual(client);
}
