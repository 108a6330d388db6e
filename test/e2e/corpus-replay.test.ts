/**
 * The hostile inputs of test/corpus/ replayed against every inbound path: each gets a clear 4xx
 * or a safe stored form, the service keeps serving, and another customer's data stays as it was.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Running } from '../../src/main.js';
import type { ChannelHarness } from '../channels/contract.js';
import { discordHarness } from '../channels/discord.js';
import { emailHarness } from '../channels/email.js';
import { telegramHarness } from '../channels/telegram.js';
import { corpusBodies, corpusNames, corpusTexts, expectSafeName, expectSafeText } from '../corpus/load.js';
import { api, eventually, startApp, tempDir } from '../support/app.js';
import { WebchatCustomer } from '../support/webchat-client.js';
import { rawPost } from '../support/upload.js';

/** Everything stored about one customer: the conversation's messages and the customer's names. */
async function snapshot(app: Running, conversationId: string) {
  return app.store.tx(async (r) => {
    const c = await r.conversations.get(conversationId);
    const messages = await r.messages.list(conversationId, { includeInternal: true });
    const customer = c ? await r.customers.get(c.customerId) : undefined;
    return { status: c?.status, messages: messages.map((m) => [m.id, m.author, m.text]), customer };
  });
}

async function expectServing(app: Running) {
  expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
}

describe('corpus: web chat over HTTP and the agent API', () => {
  let app: Running;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let admin: { token: string };
  let bystander: { conversationId: string; before: Awaited<ReturnType<typeof snapshot>> };

  beforeAll(async () => {
    dir = await tempDir();
    app = await startApp({}, dir.path);
    admin = await app.createAgent('Corpus Admin', 'admin');
    const other = await WebchatCustomer.open(app.url);
    const said = await other.say('How do I return an item?');
    const row = await eventually(() => app.store.tx((r) => r.messages.byIds([said.body.messageId])).then((m) => m[0]));
    await eventually(async () => (await other.history()).items.length === 2, 10_000, 'bystander answered');
    bystander = { conversationId: row.conversationId, before: await snapshot(app, row.conversationId) };
  });
  afterAll(async () => {
    if (app && bystander) expect(await snapshot(app, bystander.conversationId)).toEqual(bystander.before);
    await app?.stop();
    await dir?.rm();
  });

  it('texts: each posted by a customer is refused with 400/413 or stored and shown in a safe form', async () => {
    const customer = await WebchatCustomer.open(app.url);
    for (const { name, text } of corpusTexts()) {
      const res = await customer.say(text);
      expect([202, 400, 413], name).toContain(res.status);
      if (res.status !== 202) {
        expect(res.body.error.message, name).toMatch(res.status === 413 ? /exceeds|longer/ : /^text: /);
        continue;
      }
      const stored = await app.store.tx((r) => r.messages.byIds([res.body.messageId]));
      expectSafeText(stored[0]!.text, name);
    }
    for (const item of (await customer.history()).items) expectSafeText(item.text, 'history');
    await expectServing(app);
  });

  it('bodies: each raw body is refused with a clear 4xx, or read as the JSON it is', async () => {
    const customer = await WebchatCustomer.open(app.url);
    const targets = [
      { path: `/webchat/sessions/${customer.sessionId}/messages`, token: customer.secret },
      { path: '/api/agents', token: admin.token },
    ];
    for (const { path, token } of targets) {
      for (const { name, body } of corpusBodies()) {
        const res = await rawPost(app.url + path, body, { authorization: `Bearer ${token}` });
        const answer = JSON.parse(res.body) as { error?: { code: string; message: string } };
        if (res.status >= 400) {
          expect(res.status, `${path} ${name}`).toBeLessThan(500);
          expect(answer.error?.message, `${path} ${name}`).toBeTruthy();
        } else {
          // Only a BOM in front of valid JSON is read (and answered as that JSON deserves).
          expect(name, path).toBe('BOM before JSON');
        }
      }
    }
    await expectServing(app);
  });

  it('agent names: refused with 400 naming the field, or stored on one line without controls', async () => {
    for (const { name, text } of corpusNames()) {
      const res = await api(app, admin.token, 'POST', '/api/agents', { name: text, role: 'agent' });
      expect([201, 400], name).toContain(res.status);
      if (res.status === 400) {
        expect(res.body.error.message, name).toMatch(/^name: /);
        continue;
      }
      const agent = await app.store.tx((r) => r.agents.get(res.body.id as string));
      expectSafeName(agent!.name, name);
    }
    const names = (await api(app, admin.token, 'GET', '/api/agents')).body.items as { name: string }[];
    for (const { name } of names) expectSafeName(name, 'listed');
  });

  it('agent notes and replies: refused with 400 or stored in a safe form', async () => {
    const customer = await WebchatCustomer.open(app.url);
    const said = await customer.say('human');
    const [row] = await app.store.tx((r) => r.messages.byIds([said.body.messageId]));
    const id = row!.conversationId;
    expect((await api(app, admin.token, 'POST', `/api/conversations/${id}/claim`)).status).toBe(200);
    for (const { name, text } of corpusTexts()) {
      for (const kind of ['notes', 'messages']) {
        const res = await api(app, admin.token, 'POST', `/api/conversations/${id}/${kind}`, { text });
        expect([201, 400], `${kind} ${name}`).toContain(res.status);
        if (res.status === 400) expect(res.body.error.message, `${kind} ${name}`).toMatch(/^text: /);
      }
    }
    const stored = await app.store.tx((r) => r.messages.list(id, { includeInternal: true }));
    for (const m of stored) expectSafeText(m.text, `${m.author} message`);
    await expectServing(app);
  });
});

const platforms: [string, () => Promise<ChannelHarness>][] = [
  ['Telegram', () => telegramHarness()],
  ['Discord', () => discordHarness()],
  ['email', () => emailHarness()],
];

describe.each(platforms)('corpus: %s through its protocol fake', (channel, makeHarness) => {
  let h: ChannelHarness;
  let bystander: { conversationId: string; before: Awaited<ReturnType<typeof snapshot>> };

  const storedConversation = async (externalId: string) =>
    (await eventually(() => h.app.store.tx((r) => r.messages.findByExternal(h.channel, externalId)), 20_000, `${externalId} stored`))
      .conversationId;

  beforeAll(async () => {
    h = await makeHarness();
    const other = await h.newCustomer('Bystander');
    const id = await storedConversation(await other.says('How do I return an item?'));
    await eventually(async () => (await other.received()).length > 0, 20_000, 'bystander answered');
    bystander = { conversationId: id, before: await snapshot(h.app, id) };
  }, 60_000);
  afterAll(async () => {
    if (h && bystander) expect(await snapshot(h.app, bystander.conversationId)).toEqual(bystander.before);
    await h?.close();
  });

  it('stores each text and name in a safe form or not at all, and keeps serving', async () => {
    const names = corpusNames().filter((n) => channel !== 'email' || !/[\r\n]/.test(n.text));
    const texts = corpusTexts();
    for (const [i, { name, text }] of texts.entries()) {
      const who = names[i % names.length]!;
      const customer = await h.newCustomer(who.text);
      const hostile = await customer.says(text);
      // The channel handles one customer's messages in order: once the next is stored, the hostile one was dealt with.
      const conversationId = await storedConversation(await customer.says('How long does shipping take?'));
      const after = await h.app.store.tx(async (r) => {
        const messages = await r.messages.list(conversationId, { includeInternal: true });
        const c = await r.conversations.get(conversationId);
        return { messages, customer: await r.customers.get(c!.customerId), hostile: await r.messages.findByExternal(h.channel, hostile) };
      });
      // Mail whose text is refused is kept with an empty text (its headers and attachments still matter).
      for (const m of after.messages) if (m.text !== '') expectSafeText(m.text, `${name}: stored ${m.author} message`);
      if (after.hostile && channel !== 'email') expectSafeText(after.hostile.text, name);
      if (after.customer?.displayName) expectSafeName(after.customer.displayName, `${who.name}: display name`);
    }
    await expectServing(h.app);
  }, 240_000);
});
