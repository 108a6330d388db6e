import { afterEach, describe, expect, it } from 'vitest';
import { api, appOnOwnData, eventually } from '../support/app.js';
import { RawSseReader, WebchatCustomer, type ChatStream } from '../support/webchat-client.js';
import type { Running } from '../../src/main.js';

/** Counts the store's transactions from now on. */
function countTransactions(app: Running): { readonly n: number; stop(): void } {
  const store = app.store;
  const original = store.tx.bind(store);
  let n = 0;
  store.tx = (fn) => {
    n++;
    return original(fn);
  };
  return {
    get n() {
      return n;
    },
    stop: () => void (store.tx = original),
  };
}

/** One customer's turn: ask the FAQ and wait for the answer on their stream. */
async function roundTrip(customer: WebchatCustomer, stream: ChatStream, text: string) {
  const answers = () => stream.items.filter((i) => i.direction === 'out').length;
  const before = answers();
  await customer.say(text);
  await eventually(() => answers() > before, 10_000, 'answer');
}

describe('event fan-out', () => {
  let app: Running | undefined;
  let running: Awaited<ReturnType<typeof appOnOwnData>> | undefined;
  const startApp = async (env: Record<string, string> = {}) => (running = await appOnOwnData(env)).app;
  const closers: (() => void)[] = [];
  afterEach(async () => {
    for (const c of closers.splice(0)) c();
    await running?.close();
    running = app = undefined;
  });

  it('reads the database once per batch, not once per open stream', async () => {
    app = await startApp();
    const customer = await WebchatCustomer.open(app.url);
    const own = customer.stream();
    closers.push(() => own.close());
    await roundTrip(customer, own, 'How do I return an item?');

    const quiet = countTransactions(app);
    await roundTrip(customer, own, 'How do I return an item?');
    quiet.stop();

    // 40 idle widgets of other customers.
    const others = await Promise.all(Array.from({ length: 8 }, () => WebchatCustomer.open(app!.url)));
    const streams = others.flatMap((o) => Array.from({ length: 5 }, () => o.stream()));
    closers.push(() => streams.forEach((s) => s.close()));
    await eventually(async () => (await import('../../src/kit/sse.js')).openStreams() >= 41, 10_000, '41 open streams');

    const busy = countTransactions(app);
    await roundTrip(customer, own, 'How do I return an item?');
    busy.stop();
    // Before the hub each stream ran its own read on every commit: 40 streams × several commits.
    expect(busy.n).toBeLessThanOrEqual(quiet.n + 3);
    expect(streams.every((s) => s.items.length === 0)).toBe(true);
  });

  it('caps streams per session and per address with 429, and frees the slot when a stream closes', async () => {
    app = await startApp({ SSE_MAX_STREAMS_PER_SESSION: '2', SSE_MAX_STREAMS_PER_IP: '3' });
    const a = await WebchatCustomer.open(app.url);
    const b = await WebchatCustomer.open(app.url);
    const url = (c: WebchatCustomer) => `${c.baseUrl}/webchat/sessions/${c.sessionId}/events`;
    const open = async (c: WebchatCustomer) => {
      const ctl = new AbortController();
      const res = await fetch(url(c), { headers: { authorization: `Bearer ${c.secret}` }, signal: ctl.signal });
      closers.push(() => ctl.abort());
      return { res, close: () => ctl.abort() };
    };
    const first = await open(a);
    expect((await open(a)).res.status).toBe(200);
    const third = await open(a);
    expect(third.res.status).toBe(429);
    expect(third.res.headers.get('retry-after')).toMatch(/^\d+$/);
    expect((await third.res.json()).error.code).toBe('too_many_streams');

    expect((await open(b)).res.status).toBe(200);
    // The address now holds 3 streams: one more from another session is refused too, and agents count.
    expect((await open(b)).res.status).toBe(429);
    const agent = await app.createAgent('Ann');
    expect((await fetch(`${app.url}/api/events`, { headers: { authorization: `Bearer ${agent.token}` } })).status).toBe(429);

    first.close();
    await eventually(
      async () => {
        const again = await open(b);
        return again.res.status === 200;
      },
      5000,
      'a freed slot',
    );
  });

  it('sends heartbeats carrying the position, and closes a stream idle past the timeout', async () => {
    app = await startApp({ SSE_HEARTBEAT_SECONDS: '0.5', SSE_IDLE_TIMEOUT_SECONDS: '3' });
    const quiet = await WebchatCustomer.open(app.url);
    const talker = await WebchatCustomer.open(app.url);
    const res = await fetch(`${app.url}/webchat/sessions/${quiet.sessionId}/events`, {
      headers: { authorization: `Bearer ${quiet.secret}` },
    });
    const started = Date.now();
    let text = '';
    const done = (async () => {
      for await (const chunk of res.body!) text += Buffer.from(chunk).toString();
    })();
    await talker.say('How do I return an item?');
    await done; // the server ends the idle stream
    const lasted = Date.now() - started;
    expect(lasted).toBeGreaterThanOrEqual(2500);
    expect(lasted).toBeLessThan(8000);
    expect(text).toMatch(/^retry: \d+\n\n/);
    expect(text).toContain(': ping\n\n');
    // Another customer's events moved this stream's Last-Event-ID without showing it anything.
    expect(text).toMatch(/id: \d+\n: ping/);
    expect(text).not.toContain('event: message');
  });
});

describe('least privilege on /api/events', () => {
  let app: Running | undefined;
  let running: Awaited<ReturnType<typeof appOnOwnData>> | undefined;
  const startApp = async () => (running = await appOnOwnData({})).app;
  afterEach(async () => {
    await running?.close();
    running = app = undefined;
  });

  it('gives agents the queue and their own conversations, admins everything, live and on resume', async () => {
    app = await startApp();
    const ann = await app.createAgent('Ann');
    const bob = await app.createAgent('Bob');
    const admin = await app.createAgent('Root', 'admin');
    const reader = (token: string, lastEventId?: string) =>
      new RawSseReader(`${app!.url}/api/events`, {
        authorization: `Bearer ${token}`,
        ...(lastEventId ? { 'last-event-id': lastEventId } : {}),
      });
    const annLive = reader(ann.token);
    const bobLive = reader(bob.token);
    const adminLive = reader(admin.token);

    const c1 = await WebchatCustomer.open(app.url);
    const c2 = await WebchatCustomer.open(app.url);
    await c1.say('human');
    await c2.say('human');
    const queued = (r: RawSseReader) =>
      r.events.filter((e) => e.event === 'status' && e.data.action === 'handoff').map((e) => e.data.conversationId);
    await eventually(() => queued(annLive).length === 2 && queued(bobLive).length === 2, 10_000, 'both agents see both hand-offs');
    const [conv1, conv2] = queued(annLive) as [string, string];

    expect((await api(app, bob.token, 'POST', `/api/conversations/${conv1}/claim`)).status).toBe(200);
    await c1.say('my order number is 12345');
    await c2.say('still there?');
    const inbound = (r: RawSseReader, conv: string) =>
      r.events.filter((e) => e.event === 'message' && e.data.conversationId === conv && e.data.direction === 'in').length;
    await eventually(() => inbound(adminLive, conv1) === 2 && inbound(adminLive, conv2) === 2, 10_000, 'admin sees everything');
    await eventually(() => inbound(bobLive, conv1) === 2 && inbound(annLive, conv2) === 2, 10_000, 'agents see theirs and the queue');
    await app.hub.settled();

    // Ann saw Bob take conv1 out of the queue, and nothing of conv1 after that.
    const claim = annLive.events.find((e) => e.event === 'status' && e.data.action === 'claim');
    expect(claim?.data).toMatchObject({ conversationId: conv1, assigneeId: bob.id });
    const after = annLive.events.filter((e) => Number(e.id) > Number(claim!.id));
    expect(after.filter((e) => e.data.conversationId === conv1)).toEqual([]);
    expect(after.some((e) => e.data.conversationId === conv2)).toBe(true);

    // Resuming from the start reads the gap from the database under the same rule: conv1 is Bob's now.
    const annResumed = reader(ann.token, '0');
    const bobResumed = reader(bob.token, '0');
    await eventually(() => bobResumed.events.some((e) => e.data.conversationId === conv1 && e.event === 'message'), 10_000, 'bob resumed');
    await eventually(() => annResumed.events.some((e) => e.data.conversationId === conv2 && e.event === 'message'), 10_000, 'ann resumed');
    expect(annResumed.events.filter((e) => e.data.conversationId === conv1 && e.event !== 'status')).toEqual([]);
    for (const r of [annLive, bobLive, adminLive, annResumed, bobResumed]) r.close();
  });
});
