import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeAnthropic, type FakeAnthropic } from '../fakes/anthropic-messages-api.js';
import { api, eventually, startApp } from '../support/app.js';
import { WebchatCustomer } from '../support/webchat-client.js';
import type { Running } from '../../src/main.js';
import { parseSamples, valueOf, type Sample } from './prometheus-text.js';

const TOKEN = 'metrics-token-for-tests-0123456789';

async function scrape(url: string, token?: string): Promise<{ status: number; samples: Sample[]; text: string; type: string | null }> {
  const res = await fetch(`${url}/metrics`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  const text = await res.text();
  return { status: res.status, text, type: res.headers.get('content-type'), samples: res.status === 200 ? parseSamples(text) : [] };
}

describe('GET /metrics behind METRICS_TOKEN', () => {
  let app: Running;
  let llm: FakeAnthropic;

  beforeAll(async () => {
    llm = await startFakeAnthropic();
    llm.reply = () => 'Thanks for waiting, a colleague will look into it.';
    app = await startApp({ METRICS_TOKEN: TOKEN, ANTHROPIC_API_KEY: llm.apiKey, ANTHROPIC_BASE_URL: llm.url });
  });
  afterAll(async () => {
    await app?.stop();
    await llm?.close();
  });

  it('refuses a missing or wrong token', async () => {
    expect((await scrape(app.url)).status).toBe(401);
    expect((await scrape(app.url, 'metrics-token-for-tests-wrong')).status).toBe(401);
  });

  it('counts a conversation from FAQ answer through hand-off to the first agent reply', async () => {
    const agent = await app.createAgent('Mia');
    const customer = await WebchatCustomer.open(app.url);
    const stream = customer.stream();
    await customer.say('How do I return an item?');
    await customer.say('My cat sings opera at night and smells of lavender, is that normal?');
    await eventually(async () => stream.items.filter((i) => i.author === 'bot').length === 2, 10_000, 'FAQ answer and holding reply');

    const before = await eventually(
      async () => {
        const s = await scrape(app.url, TOKEN);
        return valueOf(s.samples, 'switchboard_llm_tokens_total', { direction: 'output' }) ? s : undefined;
      },
      10_000,
      'the draft counted',
    );
    expect(before.type).toMatch(/^text\/plain; version=0\.0\.4/);
    const s = before.samples;
    expect(valueOf(s, 'switchboard_messages_received_total', { channel: 'webchat' })).toBe(2);
    expect(valueOf(s, 'switchboard_decisions_total', { rule: 'faqAnswer', kind: 'replied' })).toBe(1);
    expect(valueOf(s, 'switchboard_decisions_total', { rule: 'handoff', kind: 'queued' })).toBe(1);
    expect(valueOf(s, 'switchboard_messages_sent_total', { channel: 'webchat', author: 'bot' })).toBe(2);
    expect(valueOf(s, 'switchboard_queue_length', { team: 'general' })).toBe(1);
    expect(valueOf(s, 'switchboard_outbox_pending')).toBe(0);
    expect(valueOf(s, 'switchboard_outbox_oldest_pending_age_seconds')).toBe(0);
    expect(valueOf(s, 'switchboard_llm_tokens_total', { direction: 'input' })).toBeGreaterThan(0);
    expect(valueOf(s, 'switchboard_sse_connections', { route: '/webchat/sessions/:id/events' })).toBe(1);
    // Latency by route pattern: the session id never becomes a label value.
    expect(
      valueOf(s, 'switchboard_http_request_duration_seconds_count', {
        method: 'POST',
        route: '/webchat/sessions/:id/messages',
        status: '202',
      }),
    ).toBe(2);
    expect(before.text).not.toContain(customer.sessionId);
    expect(valueOf(s, 'switchboard_first_response_seconds_count')).toBe(0);
    expect(valueOf(s, 'process_resident_memory_bytes')).toBeGreaterThan(0);

    const conv = (await api(app, agent.token, 'GET', '/api/conversations?status=queued')).body.items[0];
    expect((await api(app, agent.token, 'POST', `/api/conversations/${conv.id}/claim`)).status).toBe(200);
    expect((await api(app, agent.token, 'POST', `/api/conversations/${conv.id}/messages`, { text: 'Hello, Mia here.' })).status).toBe(201);
    expect((await api(app, agent.token, 'POST', `/api/conversations/${conv.id}/messages`, { text: 'Anything else?' })).status).toBe(201);
    await eventually(async () => stream.items.filter((i) => i.author === 'agent').length === 2, 10_000, 'agent replies');
    stream.close();

    const after = await eventually(
      async () => {
        const { samples } = await scrape(app.url, TOKEN);
        return valueOf(samples, 'switchboard_sse_connections', { route: '/webchat/sessions/:id/events' }) === 0 ? samples : undefined;
      },
      10_000,
      'the stream closed',
    );
    // Two agent messages, one first response; measured from the hand-off, so more than 0 s.
    expect(valueOf(after, 'switchboard_first_response_seconds_count')).toBe(1);
    expect(valueOf(after, 'switchboard_first_response_seconds_sum')).toBeGreaterThan(0);
    expect(valueOf(after, 'switchboard_queue_length', { team: 'general' })).toBe(0);
    expect(valueOf(after, 'switchboard_messages_sent_total', { channel: 'webchat', author: 'agent' })).toBe(2);
    expect(valueOf(after, 'switchboard_http_request_duration_seconds_count', { method: 'GET', route: 'unmatched', status: '404' })).toBe(
      undefined,
    );
    await fetch(`${app.url}/no/such/page`);
    const { samples: last } = await scrape(app.url, TOKEN);
    expect(valueOf(last, 'switchboard_http_request_duration_seconds_count', { method: 'GET', route: 'unmatched', status: '404' })).toBe(1);
  });
});

describe('METRICS_PORT', () => {
  let app: Running;
  beforeAll(async () => {
    app = await startApp({ METRICS_PORT: '0' });
  });
  afterAll(() => app?.stop());

  it('serves /metrics on its own port without a token, and not on the main port', async () => {
    expect(app.metricsPort).toBeGreaterThan(0);
    expect(app.metricsPort).not.toBe(app.port);
    const own = await scrape(`http://127.0.0.1:${app.metricsPort}`);
    expect(own.status).toBe(200);
    expect(valueOf(own.samples, 'switchboard_outbox_pending')).toBe(0);
    const main = await scrape(app.url);
    expect(main.status).toBe(404);
    expect(main.text).toMatch(/METRICS_TOKEN or METRICS_PORT/);
  });

  it('exposes every series the sample Grafana dashboard queries', async () => {
    const { text } = await scrape(`http://127.0.0.1:${app.metricsPort}`);
    const exposed = new Set([...text.matchAll(/^# TYPE (\S+) (\w+)/gm)].map((m) => m[1]));
    const dashboard = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'grafana-dashboard.json'), 'utf8');
    const queried = new Set(
      [...dashboard.matchAll(/\b((?:switchboard|process)_\w+)/g)].map((m) => m[1]!.replace(/_(bucket|sum|count)$/, '')),
    );
    expect(queried.size).toBeGreaterThan(10);
    expect([...queried].filter((name) => !exposed.has(name))).toEqual([]);
  });
});
