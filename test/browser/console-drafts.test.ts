/** The drafts panel in a real browser, drafts written by the real SDK against the Anthropic fake. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startFakeAnthropic, type FakeAnthropic, type RecordedRequest, type ScriptedReply } from '../fakes/anthropic-messages-api.js';
import { api, eventually, startApp } from '../support/app.js';
import { WebchatCustomer } from '../support/webchat-client.js';
import type { Running } from '../../src/main.js';
import { browserSuite, chromiumMissing, launchChromium } from './chromium.js';
import { signedIn } from './console-helpers-shell.js';

const LONG =
  'Thanks for waiting! You can return any item within thirty days of delivery, unworn and with its tags, and we refund the original payment once it reaches our warehouse.';

const toolOf = (req: RecordedRequest) => (req.body.tool_choice?.type === 'tool' ? req.body.tool_choice.name : null);
/** The FAQ entry ids the draft prompt offered the model. */
const offered = (req: RecordedRequest) => {
  const system = Array.isArray(req.body.system) ? req.body.system.map((b) => b.text).join('\n') : String(req.body.system ?? '');
  return [...system.matchAll(/<entry id="([^"]+)">/g)].map((m) => m[1]!);
};

describe.skipIf(chromiumMissing)(browserSuite('/console drafts panel'), () => {
  let app: Running;
  let llm: FakeAnthropic;
  let browser: Browser;
  let alice: { id: string; token: string };
  /** What the next draft answers with: grounded (cites the first entry offered) or not. */
  let grounded = true;

  beforeAll(async () => {
    llm = await startFakeAnthropic();
    llm.reply = (req): ScriptedReply => {
      if (toolOf(req) === 'translation') {
        const user = req.body.messages.map((m) => JSON.stringify(m.content)).join('');
        return { toolInput: { translation: /\p{Script=Han}/u.test(user) ? 'My parcel has not arrived.' : '您的包裹今天发出。' } };
      }
      if (toolOf(req) === 'conversation_summary')
        return {
          toolInput: { problem: 'Wants to return shoes.', bot_said: 'Pointed to the returns policy.', open_points: 'Refund timing.' },
        };
      const cited = grounded ? offered(req).slice(0, 1) : [];
      return {
        toolInput: {
          reply: LONG,
          cited_entry_ids: cited,
          needs_human_check: !grounded,
          ...(grounded ? {} : { needs_human_check_reason: 'refund amount' }),
        },
      };
    };
    [app, browser] = await Promise.all([startApp({ ANTHROPIC_API_KEY: llm.apiKey, ANTHROPIC_BASE_URL: llm.url }), launchChromium()]);
    alice = await app.createAgent('Alice');
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    await llm?.close();
  });

  async function queued(text: string): Promise<{ customer: WebchatCustomer; id: string }> {
    const customer = await WebchatCustomer.open(app.url);
    await customer.say(text);
    await customer.say('human');
    const conv = await eventually(
      async () => {
        const c = await app.store.tx((r) => r.conversations.latestForThread('webchat', customer.sessionId));
        return c?.status === 'queued' ? c : undefined;
      },
      10_000,
      'queued conversation',
    );
    await app.draftsIdle();
    return { customer, id: conv.id };
  }

  async function open(id: string, width = 1366): Promise<Page> {
    const page = await signedIn(browser, app.url, alice.token, 'Alice', { viewport: { width, height: 800 } });
    await page.goto(`${app.url}/console#/c/${id}`);
    await page.locator('#view .conv-main').waitFor();
    return page;
  }

  const detailOf = async (id: string) => (await api(app, alice.token, 'GET', `/api/conversations/${id}`)).body;

  it('streams a new draft into the panel in order, the final text is the stored draft; Use draft sends it and records as_is; a citation chip opens the entry', async () => {
    grounded = true;
    const { customer, id } = await queued('How do I return shoes?');
    const page = await open(id);
    const view = page.locator('#view');
    await view.locator('.conv-drafts-summary', { hasText: 'Drafts (1)' }).click();

    // Every text the panel shows while the draft is written, recorded in the page.
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { __seen: string[] }).__seen = seen;
      new MutationObserver(() => {
        const t = document.querySelector('.conv-draft[data-status="streaming"] .conv-draft-text')?.textContent ?? null;
        if (t !== null && t !== seen.at(-1)) seen.push(t);
      }).observe(document.getElementById('view')!, { subtree: true, childList: true, characterData: true });
    });
    llm.deltaDelayMs = 40;
    await view.getByRole('button', { name: 'Draft again' }).click();
    await view.locator('.conv-draft[data-status="streaming"]').waitFor();
    expect(await view.locator('.conv-drafts-summary').textContent()).toContain('writing');
    await view.locator('.conv-draft[data-status="ready"]').waitFor({ timeout: 20_000 });
    llm.deltaDelayMs = 0;
    const seen = await page.evaluate(() => (window as unknown as { __seen: string[] }).__seen);
    // Several steps, each growing the one before: streamed, in order.
    expect(seen.filter((s) => s).length).toBeGreaterThan(3);
    for (let i = 1; i < seen.length; i++) expect(seen[i]!.startsWith(seen[i - 1]!)).toBe(true);
    const detail = await detailOf(id);
    const stored = detail.drafts.at(-1);
    expect(stored.status).toBe('ready');
    expect(seen.at(-1)).toBe(stored.text);
    expect(await view.locator('.conv-draft .conv-draft-text').textContent()).toBe(stored.text);
    expect(await view.locator('.conv-draft-ungrounded').count()).toBe(0);

    // The citation chip opens the entry it cites, in the knowledge base's words.
    const entryId = stored.entryIds[0] as string;
    expect(entryId).toBeTruthy();
    const entry = (await api(app, alice.token, 'GET', `/api/faq/entries/${entryId}`)).body;
    await view.locator(`.conv-chip[data-entry="${entryId}"]`).click();
    const box = view.locator('.conv-faq-entry');
    await box.getByRole('heading', { name: `FAQ entry ${entryId}` }).waitFor();
    expect(await box.textContent()).toContain(entry.locales[0].answer.slice(0, 40));
    await box.getByRole('button', { name: 'Close' }).click();
    expect(await box.isHidden()).toBe(true);

    await view.getByRole('button', { name: 'Claim' }).click();
    await view.locator('.conv-send:enabled').waitFor();
    await view.getByRole('button', { name: 'Use draft' }).click();
    expect(await view.getByRole('textbox', { name: 'Reply' }).inputValue()).toBe(stored.text);
    const posted = page.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith(`/api/conversations/${id}/messages`));
    await view.getByRole('button', { name: 'Send reply' }).click();
    expect((await posted).postDataJSON()).toEqual({ text: stored.text, draftId: stored.id });
    const judged = await eventually(
      async () => (await detailOf(id)).drafts.find((d: { id: string; outcome: unknown }) => d.id === stored.id && d.outcome),
      5_000,
      'draft outcome',
    );
    expect(judged.outcome.kind).toBe('as_is');
    await view.locator('.conv-draft', { hasText: 'Used as is' }).waitFor();
    const received = await eventually(
      async () => (await customer.history()).items.find((i) => i.author === 'agent'),
      10_000,
      'reply in the web chat',
    );
    expect(received.text).toBe(stored.text);
    await page.context().close();
  });

  it('warns plainly about an ungrounded draft that a person must check; cancel leaves a readable cancelled state; at 375 px', async () => {
    grounded = false;
    const { id } = await queued('Can you engrave a dragon on my toaster?');
    const page = await open(id, 375);
    const view = page.locator('#view');
    await view.locator('.conv-drafts-summary').click();
    await view.locator('.conv-draft-ungrounded', { hasText: 'Not backed by the FAQ: this draft cites no FAQ entry.' }).waitFor();
    expect(await view.locator('.conv-draft-check').textContent()).toBe('A person must check this before it is sent: refund amount');
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(375);

    llm.deltaDelayMs = 400;
    await view.getByRole('button', { name: 'Draft again' }).click();
    await view.locator('.conv-draft[data-status="streaming"]').waitFor();
    await view.getByRole('button', { name: 'Cancel' }).click();
    await view.locator('.conv-draft[data-status="cancelled"]', { hasText: 'Cancelled before it was finished.' }).waitFor();
    llm.deltaDelayMs = 0;
    expect((await detailOf(id)).drafts.at(-1)).toMatchObject({ status: 'cancelled', reason: 'agent' });
    expect(await view.getByRole('button', { name: 'Use draft' }).count()).toBe(0);
    await page.context().close();
  });

  it('Summarise adds the summary as a generated internal note', async () => {
    grounded = true;
    const { customer, id } = await queued('How do I return shoes?');
    const page = await open(id);
    const view = page.locator('#view');
    await view.locator('.conv-drafts-summary').click();
    // The hand-off already wrote one (LLM_SUMMARY_ON); the button adds another.
    const notes = view.locator('.conv-msg.conv-internal', { hasText: 'Problem: Wants to return shoes.' });
    await notes.first().waitFor();
    const before = await notes.count();
    await view.getByRole('button', { name: 'Summarise' }).click();
    await expect.poll(() => notes.count()).toBe(before + 1);
    expect(await notes.last().locator('.conv-generated').textContent()).toBe('Generated summary');
    const stored = (await detailOf(id)).messages.filter(
      (m: { generated: { trigger?: string } | null }) => m.generated?.trigger === 'request',
    );
    expect(stored).toHaveLength(1);
    expect((await customer.history()).items.some((i) => i.text.includes('Wants to return shoes'))).toBe(false);
    await page.context().close();
  });

  it('translates a Chinese customer message into a generated note, and sends an English reply in Chinese after a preview', async () => {
    grounded = true;
    const { customer, id } = await queued('我的包裹还没到');
    const page = await open(id);
    const view = page.locator('#view');
    const inbound = view.locator('.conv-msg.conv-in', { hasText: '我的包裹还没到' });
    await inbound.getByRole('button', { name: 'Translate' }).click();
    const note = view.locator('.conv-msg.conv-internal', { hasText: 'My parcel has not arrived.' });
    await note.waitFor();
    expect(await note.locator('.conv-generated').textContent()).toBe('Translation (Chinese → English)');

    await view.getByRole('button', { name: 'Claim' }).click();
    await view.locator('.conv-send:enabled').waitFor();
    await view.getByLabel('Send in the customer’s language').check();
    const input = view.getByRole('textbox', { name: 'Reply' });
    await input.fill('Your parcel ships today.');
    const send = view.locator('.conv-send');
    expect(await send.textContent()).toBe('Preview translation');
    await send.click();
    await view.locator('.conv-translate-preview', { hasText: '您的包裹今天发出。' }).waitFor();
    expect(await send.textContent()).toBe('Send translation');
    // Nothing went out yet.
    expect((await customer.history()).items.some((i) => i.author === 'agent')).toBe(false);
    const posted = page.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith('/messages/translated'));
    await send.click();
    expect((await posted).postDataJSON()).toEqual({ text: 'Your parcel ships today.', translation: '您的包裹今天发出。' });
    const out = view.locator('.conv-msg.conv-out', { hasText: '您的包裹今天发出。' });
    await out.waitFor();
    expect(await out.locator('.conv-translation-original summary').textContent()).toBe('Sent in Chinese, written in English');
    const received = await eventually(
      async () => (await customer.history()).items.find((i) => i.author === 'agent'),
      10_000,
      'translated reply in the web chat',
    );
    expect(received.text).toBe('您的包裹今天发出。');
    await page.context().close();
  });
});
