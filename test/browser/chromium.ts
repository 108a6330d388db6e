import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium; .ci/run installs it. Browser tests skip (saying why) where it is missing. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

export const chromiumMissing: string | undefined = existsSync(CHROMIUM_PATH)
  ? undefined
  : `${CHROMIUM_PATH} is absent (install it: apt-get install -y chromium)`;

if (chromiumMissing) console.warn(`browser tests skipped: ${chromiumMissing}`);

/** The title of a browser suite, naming the skip reason when it cannot run. */
export const browserSuite = (title: string) => (chromiumMissing ? `${title} — skipped: ${chromiumMissing}` : title);

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    // Offline and quiet: no sandbox (CI runs as root), no GPU, nothing phoning home.
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
}
