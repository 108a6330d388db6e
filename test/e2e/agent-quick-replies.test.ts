import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, eventually, startApp, tempDir } from '../support/app.js';
import { WebchatCustomer } from '../support/webchat-client.js';
import { queuedConversation } from '../support/conversations.js';
import type { Running } from '../../src/main.js';

/** The bot's messages to the customer (its answers are decided in the same transaction that stores the press). */
const botReplies = (d: { messages: { author: string; direction: string }[] }) =>
  d.messages.filter((m) => m.author === 'bot' && m.direction === 'out').length;

describe('an agent reply with quick-reply buttons', () => {
  let app: Running;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let ann: { id: string; token: string };

  beforeAll(async () => {
    dir = await tempDir();
    app = await startApp({}, dir.path);
    ann = await app.createAgent('Ann');
  });
  afterAll(async () => {
    await app?.stop();
    await dir?.rm();
  });

  it('offers the buttons on the channel, and a press reaches the agent as the customer’s message', async () => {
    const customer = await WebchatCustomer.open(app.url);
    const id = await queuedConversation(app, customer);
    expect((await api(app, ann.token, 'POST', `/api/conversations/${id}/claim`)).status).toBe(200);

    const sent = await api(app, ann.token, 'POST', `/api/conversations/${id}/messages`, {
      text: 'Would you like a refund or a replacement?',
      choices: ['Refund', ' Replacement '],
    });
    expect(sent.status).toBe(201);
    expect(sent.body.message.choices).toEqual([
      { id: 'reply:1', label: 'Refund' },
      { id: 'reply:2', label: 'Replacement' },
    ]);
    const offered = await eventually(
      async () => (await customer.history()).items.find((i) => i.text === 'Would you like a refund or a replacement?'),
      5000,
      'reply in the chat',
    );
    expect(offered.choices).toEqual([
      { id: 'reply:1', label: 'Refund' },
      { id: 'reply:2', label: 'Replacement' },
    ]);

    const botBefore = botReplies((await api(app, ann.token, 'GET', `/api/conversations/${id}`)).body);
    expect((await customer.pick('reply:2', 'Replacement')).status).toBe(202);
    const detail = await eventually(
      async () => {
        const d = (await api(app, ann.token, 'GET', `/api/conversations/${id}`)).body;
        return d.messages.some((m: { text: string }) => m.text === 'Replacement') ? d : undefined;
      },
      5000,
      'the press stored',
    );
    expect(detail.messages.at(-1)).toMatchObject({ author: 'customer', text: 'Replacement', choiceId: 'reply:2' });
    // The agent still holds it: the bot does not answer a press meant for a person.
    expect(detail.conversation).toMatchObject({ status: 'assigned', assigneeId: ann.id });
    expect(botReplies(detail)).toBe(botBefore);
  });

  it('refuses more than five buttons and empty or long labels, sending nothing', async () => {
    const customer = await WebchatCustomer.open(app.url);
    const id = await queuedConversation(app, customer);
    await api(app, ann.token, 'POST', `/api/conversations/${id}/claim`);
    for (const choices of [['1', '2', '3', '4', '5', '6'], [' '], ['x'.repeat(65)]]) {
      const res = await api(app, ann.token, 'POST', `/api/conversations/${id}/messages`, { text: 'Pick one', choices });
      expect(res.status).toBe(400);
    }
    const detail = (await api(app, ann.token, 'GET', `/api/conversations/${id}`)).body;
    expect(detail.messages.some((m: { text: string }) => m.text === 'Pick one')).toBe(false);
  });
});
