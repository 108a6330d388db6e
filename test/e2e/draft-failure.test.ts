import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeAnthropic, type FakeAnthropic } from '../fakes/anthropic-messages-api.js';
import { api, eventually, startApp, tempDir } from '../support/app.js';
import { WebchatCustomer } from '../support/webchat-client.js';
import type { Running } from '../../src/main.js';

describe('a failing or slow LLM never holds up the customer or the queue', () => {
  let app: Running;
  let llm: FakeAnthropic;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let agent: { token: string };

  beforeAll(async () => {
    llm = await startFakeAnthropic();
    dir = await tempDir();
    app = await startApp({ ANTHROPIC_API_KEY: llm.apiKey, ANTHROPIC_BASE_URL: llm.url, DRAFT_TIMEOUT_MS: '500' }, dir.path);
    agent = await app.createAgent('Ann');
  });
  afterAll(async () => {
    await app?.stop();
    await llm?.close();
    await dir?.rm();
  });

  async function handOff(text: string) {
    const customer = await WebchatCustomer.open(app.url);
    await customer.say(text);
    const items = await eventually(
      async () => {
        const h = await customer.history();
        return h.items.length >= 2 ? h.items : undefined;
      },
      5_000,
      'holding reply',
    );
    expect(items[1]!.text).toMatch(/person will reply/);
    await app.draftsIdle();
    const conv = await app.store.tx((r) => r.conversations.latestForThread('webchat', customer.sessionId));
    return (await api(app, agent.token, 'GET', `/api/conversations/${conv!.id}`)).body;
  }

  it('an LLM that keeps failing leaves the conversation queued with a failed draft saying why', async () => {
    llm.faults.push({ status: 500 }, { status: 529 }, { status: 500 }, { status: 500 });
    const before = llm.requests.length;
    const detail = await handOff('Can you engrave a dragon on my toaster?');
    expect(llm.requests.length).toBeGreaterThan(before);
    expect(detail.conversation.status).toBe('queued');
    expect(detail.drafts).toMatchObject([{ status: 'failed', reason: expect.stringMatching(/^(api_5\d\d|timeout)$/), text: '' }]);
    llm.faults.length = 0;
  });

  it('an LLM slower than DRAFT_TIMEOUT_MS is abandoned; the holding reply did not wait for it', async () => {
    // A minute-long LLM: the holding reply arriving at all (handOff waits 5 s for it) shows it did not wait.
    llm.delayMs = 60_000;
    const detail = await handOff('My toaster sings opera at night, is that covered?');
    expect(detail.conversation.status).toBe('queued');
    expect(detail.drafts).toMatchObject([{ status: 'failed', reason: 'timeout', text: '' }]);
    llm.delayMs = 0;
  });
});
