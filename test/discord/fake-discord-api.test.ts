import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { FakeDiscordApi } from '../fakes/discord-api.js';

let fake: FakeDiscordApi;
afterEach(async () => {
  await fake?.close();
});

const ann = { id: '210000000000000001', username: 'ann' };

function rest(path: string, init: RequestInit & { auth?: string } = {}) {
  return fetch(`${fake.apiUrl}/v10${path}`, {
    ...init,
    headers: { authorization: init.auth ?? `Bot ${fake.token}`, 'content-type': 'application/json' },
  }).then(async (r) => ({ status: r.status, headers: r.headers, body: await r.json() }));
}

/** A raw gateway client: collects every payload. */
async function gateway() {
  const socket = new WebSocket(`${fake.gatewayUrl}?v=10&encoding=json`);
  const payloads: { op: number; s: number | null; t: string | null; d: any }[] = [];
  let closeCode: number | undefined;
  socket.on('message', (m) => payloads.push(JSON.parse(String(m))));
  socket.on('close', (code) => (closeCode = code));
  await new Promise((resolve) => socket.once('open', resolve));
  const waitFor = (pred: () => boolean) => fake.waitFor(pred, 2000, 'gateway payload');
  return { socket, payloads, closed: () => closeCode, waitFor, send: (p: unknown) => socket.send(JSON.stringify(p)) };
}

describe('fake Discord API answers like Discord', () => {
  it('refuses a request without the bot token, names the gateway, and lists history newest first', async () => {
    fake = await FakeDiscordApi.start();
    expect((await rest('/users/@me', { auth: 'Bot wrong' })).status).toBe(401);
    expect((await rest('/gateway/bot')).body).toMatchObject({ url: fake.gatewayUrl, shards: 1 });
    const ids = ['one', 'two', 'three'].map((t) => fake.pushMessage(ann, t, { dispatch: false }).id);
    const dm = fake.dmChannel(ann);
    expect((await rest(`/channels/${dm}`)).body).toMatchObject({ id: dm, type: 1, recipients: [{ id: ann.id }] });
    const after = await rest(`/channels/${dm}/messages?after=${ids[0]}&limit=1`);
    expect(after.body.map((m: { content: string }) => m.content)).toEqual(['two']);
    const all = await rest(`/channels/${dm}/messages`);
    expect(all.body.map((m: { content: string }) => m.content)).toEqual(['three', 'two', 'one']);
    expect((await rest('/channels/1/messages')).body).toEqual({ message: 'Unknown Channel', code: 10003 });
  });

  it('refuses content over 2,000 characters and answers 429 with retry_after and headers', async () => {
    fake = await FakeDiscordApi.start();
    const dm = fake.dmChannel(ann);
    const long = await rest(`/channels/${dm}/messages`, { method: 'POST', body: JSON.stringify({ content: 'x'.repeat(2001) }) });
    expect(long).toMatchObject({ status: 400, body: { code: 50035 } });
    fake.failNext({ method: 'POST', path: `/channels/${dm}/messages`, status: 429, retryAfter: 1.5 });
    const limited = await rest(`/channels/${dm}/messages`, { method: 'POST', body: JSON.stringify({ content: 'hi' }) });
    expect(limited).toMatchObject({ status: 429, body: { retry_after: 1.5, global: false } });
    expect(limited.headers.get('retry-after')).toBe('2');
    expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
  });

  it('speaks the gateway handshake: HELLO, IDENTIFY → READY, heartbeat ACK, increasing sequence numbers', async () => {
    fake = await FakeDiscordApi.start();
    const g = await gateway();
    await g.waitFor(() => g.payloads.length === 1);
    expect(g.payloads[0]).toMatchObject({ op: 10, d: { heartbeat_interval: 41_250 } });
    g.send({ op: 2, d: { token: fake.token, intents: 1, properties: {} } });
    await g.waitFor(() => g.payloads.some((p) => p.t === 'READY'));
    g.send({ op: 1, d: 1 });
    await g.waitFor(() => g.payloads.some((p) => p.op === 11));
    fake.pushMessage(ann, 'a');
    fake.pushMessage(ann, 'b');
    await g.waitFor(() => g.payloads.filter((p) => p.t === 'MESSAGE_CREATE').length === 2);
    const seqs = g.payloads.filter((p) => p.op === 0).map((p) => p.s);
    expect(seqs).toEqual([1, 2, 3]);
    g.socket.close(1000);
  });

  it('closes 4004 on a wrong token and answers an unknown RESUME with INVALID_SESSION', async () => {
    fake = await FakeDiscordApi.start();
    const bad = await gateway();
    bad.send({ op: 2, d: { token: 'nope', intents: 1, properties: {} } });
    await bad.waitFor(() => bad.closed() !== undefined);
    expect(bad.closed()).toBe(4004);
    const resume = await gateway();
    resume.send({ op: 6, d: { token: fake.token, session_id: 'gone', seq: 3 } });
    await resume.waitFor(() => resume.payloads.some((p) => p.op === 9));
    expect(resume.payloads.find((p) => p.op === 9)!.d).toBe(false);
    resume.socket.close(1000);
  });
});
