/**
 * Screenshots of /chat and /console at a desktop and a phone width, for looking at the pages
 * after a change: `npx tsx test/browser/screenshots.ts [OUT_DIR]` (default test/artifacts/).
 * Not a test; nothing is asserted.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { startApp, tempDir } from '../support/app.js';
import { launchChromium } from './chromium.js';

const out = process.argv[2] ?? join(import.meta.dirname, '..', 'artifacts');
await mkdir(out, { recursive: true });
const dir = await tempDir();
const app = await startApp({}, dir.path);
const browser = await launchChromium();
try {
  const agent = await app.createAgent('Alice');
  for (const width of [1366, 375]) {
    const context = await browser.newContext({ viewport: { width, height: width > 800 ? 768 : 740 } });
    const chat = await context.newPage();
    await chat.goto(`${app.url}/chat`);
    for (const text of ['How do I return an item?', 'human']) {
      await chat.locator('#t').fill(text);
      await chat.locator('#t').press('Enter');
    }
    await chat.locator('.msg.out', { hasText: /person will reply/i }).waitFor();
    await chat.screenshot({ path: join(out, `chat-${width}.png`) });

    const agentPage = await context.newPage();
    await agentPage.goto(`${app.url}/console`);
    await agentPage.screenshot({ path: join(out, `console-login-${width}.png`) });
    await agentPage.locator('#token').fill(agent.token);
    await agentPage.getByRole('button', { name: 'Sign in' }).click();
    await agentPage.locator('#list li[data-id]').first().click();
    await agentPage.locator('#view .conv-main').waitFor();
    await agentPage.screenshot({ path: join(out, `console-${width}.png`) });
    await context.close();
  }
  process.stdout.write(`screenshots in ${out}\n`);
} finally {
  await browser.close();
  await app.stop();
  await dir.rm();
}
