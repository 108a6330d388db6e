import { expect } from 'vitest';
import type { Page, Response } from 'playwright-core';

/**
 * Checks, in the browser, that a page runs only scripts and styles from its own origin: the CSP
 * header allows 'self' and nothing inline, every script and stylesheet the page loaded is
 * same-origin, and an inline script injected into the DOM is refused (a CSP violation fires).
 */
export async function expectSelfOnlyPage(page: Page, response: Response | null): Promise<void> {
  const csp = (await response?.headerValue('content-security-policy')) ?? '';
  expect(csp).toContain("default-src 'none'");
  expect(csp).toContain("script-src 'self'");
  expect(csp).toContain("style-src 'self'");
  expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|'nonce-|\*/);
  expect(await response?.headerValue('x-content-type-options')).toBe('nosniff');

  const origin = new URL(page.url()).origin;
  const loaded = await page.evaluate(() => ({
    scripts: [...document.scripts].map((s) => ({ src: s.src, inline: !s.src && s.textContent.trim() !== '' })),
    styles: [...document.querySelectorAll('link[rel="stylesheet"]')].map((l) => (l as HTMLLinkElement).href),
    inlineStyles: document.querySelectorAll('style, [style]').length,
    // A stylesheet the CSP refused would be missing here.
    sheets: document.styleSheets.length,
  }));
  expect(loaded.scripts.length).toBeGreaterThan(0);
  for (const s of loaded.scripts) {
    expect(s.inline).toBe(false);
    expect(new URL(s.src).origin).toBe(origin);
  }
  expect(loaded.styles.length).toBeGreaterThan(0);
  for (const href of loaded.styles) expect(new URL(href).origin).toBe(origin);
  expect(loaded.inlineStyles).toBe(0);
  expect(loaded.sheets).toBe(loaded.styles.length);

  const refused = await page.evaluate(
    () =>
      new Promise<{ directive: string; ran: boolean }>((resolve) => {
        document.addEventListener(
          'securitypolicyviolation',
          (e) => resolve({ directive: e.effectiveDirective, ran: (window as { __inline?: unknown }).__inline !== undefined }),
          { once: true },
        );
        const s = document.createElement('script');
        s.textContent = 'window.__inline = 1';
        document.body.append(s);
      }),
  );
  expect(refused).toEqual({ directive: 'script-src-elem', ran: false });
}
