/**
 * The fake must speak the real wire protocol, or tests built on it prove nothing: here the real
 * SDK streams from it, and raw HTTP checks the auth and error shapes the documentation describes.
 */
import Anthropic from '@anthropic-ai/sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeAnthropic, type FakeAnthropic } from '../fakes/anthropic-messages-api.js';

describe('fake Anthropic Messages API', () => {
  let fake: FakeAnthropic;
  beforeEach(async () => {
    fake = await startFakeAnthropic();
  });
  afterEach(async () => {
    await fake.close();
  });

  const body = { model: 'claude-sonnet-5-5', max_tokens: 64, messages: [{ role: 'user', content: 'Hi' }] };
  const post = (headers: Record<string, string>, payload: unknown = body) =>
    fetch(`${fake.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01', ...headers },
      body: JSON.stringify(payload),
    });

  it('streams text deltas that the SDK assembles into the scripted reply', async () => {
    fake.reply = (req) => `Echo: ${JSON.stringify(req.body.messages[0]?.content)} — 你好，世界`;
    const client = new Anthropic({ apiKey: fake.apiKey, baseURL: fake.url, maxRetries: 0 });

    const stream = client.messages.stream({
      model: 'claude-sonnet-5-5',
      max_tokens: 64,
      messages: [{ role: 'user', content: 'Hello there' }],
    });
    const deltas: string[] = [];
    stream.on('text', (delta) => deltas.push(delta));
    const message = await stream.finalMessage();

    const expected = 'Echo: "Hello there" — 你好，世界';
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.join('')).toBe(expected);
    expect(message.content).toEqual([{ type: 'text', text: expected }]);
    expect(message.stop_reason).toBe('end_turn');
    expect(message.model).toBe('claude-sonnet-5-5');
    expect(message.usage.output_tokens).toBeGreaterThan(0);
    expect(fake.requests[0]?.body.stream).toBe(true);
  });

  it('sends the SSE events in the documented order', async () => {
    fake.reply = () => 'Two words';
    const res = await post({ 'x-api-key': fake.apiKey }, { ...body, stream: true });
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const events = [...(await res.text()).matchAll(/^event: (\S+)$/gm)].map((m) => m[1]);
    expect(events).toEqual([
      'message_start',
      'content_block_start',
      'ping',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
  });

  it('accepts the key as x-api-key or as a Bearer token', async () => {
    fake.reply = () => 'ok';
    const viaHeader = await post({ 'x-api-key': fake.apiKey });
    const viaBearer = await post({ authorization: `Bearer ${fake.apiKey}` });
    expect(viaHeader.status).toBe(200);
    expect(viaBearer.status).toBe(200);
    expect(((await viaHeader.json()) as Anthropic.Message).content).toEqual([{ type: 'text', text: 'ok' }]);
    expect(((await viaBearer.json()) as Anthropic.Message).content).toEqual([{ type: 'text', text: 'ok' }]);
  });

  it("rejects a missing or wrong key with a 401 in Anthropic's error shape", async () => {
    const attempts: Record<string, string>[] = [{}, { 'x-api-key': 'nope' }, { authorization: 'Bearer nope' }];
    for (const headers of attempts) {
      const res = await post(headers);
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({
        type: 'error',
        error: { type: 'authentication_error', message: expect.any(String) },
        request_id: expect.stringMatching(/^req_/),
      });
    }
  });

  it('rejects a request without the fields the real API requires', async () => {
    const noModel = await post({ 'x-api-key': fake.apiKey }, { max_tokens: 10, messages: body.messages });
    expect(noModel.status).toBe(400);
    expect(await noModel.json()).toMatchObject({ error: { type: 'invalid_request_error', message: expect.stringContaining('model') } });

    const noVersion = await fetch(`${fake.url}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': fake.apiKey, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(noVersion.status).toBe(400);
  });

  it('answers an injected 429 with retry-after, then serves normally', async () => {
    fake.faults.push({ status: 429, retryAfterSeconds: 7 });
    const limited = await post({ 'x-api-key': fake.apiKey });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('7');
    expect(await limited.json()).toMatchObject({ error: { type: 'rate_limit_error' } });
    expect((await post({ 'x-api-key': fake.apiKey })).status).toBe(200);
  });

  it('streams a forced tool call as input_json_delta events that the SDK assembles into the tool input', async () => {
    const input = { reply: 'Thirty days — 三十天.', cited_entry_ids: ['returns'], needs_human_check: false };
    fake.reply = () => ({ toolInput: input });
    const client = new Anthropic({ apiKey: fake.apiKey, baseURL: fake.url, maxRetries: 0 });
    const tool = { name: 'answer', input_schema: { type: 'object' as const, properties: { reply: { type: 'string' } } } };
    const stream = client.messages.stream({
      model: 'claude-sonnet-5-5',
      max_tokens: 64,
      tools: [tool],
      tool_choice: { type: 'tool', name: 'answer' },
      system: [{ type: 'text', text: 'Be brief.', cache_control: { type: 'ephemeral' } }],
      messages: [{ role: 'user', content: 'How long do I have?' }],
    });
    const kinds: string[] = [];
    stream.on('streamEvent', (e) => kinds.push(e.type === 'content_block_delta' ? e.delta.type : e.type));
    const message = await stream.finalMessage();
    expect(message.content).toEqual([{ type: 'tool_use', id: expect.stringMatching(/^toolu_/), name: 'answer', input }]);
    expect(message.stop_reason).toBe('tool_use');
    expect(kinds[0]).toBe('message_start');
    expect(kinds).toContain('input_json_delta');
    expect(kinds.slice(-2)).toEqual(['message_delta', 'message_stop']);
    // The cached system block was written on this first request.
    expect(message.usage.cache_creation_input_tokens).toBeGreaterThan(0);
    expect(message.usage.cache_read_input_tokens).toBe(0);
  });
});
