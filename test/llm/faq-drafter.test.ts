import { afterEach, describe, expect, it } from 'vitest';
import { createDrafter } from '../../src/llm/create-drafter.js';
import type { DraftRequest, DraftSource } from '../../src/llm/drafter.js';
import { createFaqDrafter } from '../../src/llm/faq-drafter.js';
import { silentLogger } from '../../src/log.js';
import { startFakeAnthropic, type FakeAnthropic } from '../fakes/anthropic-messages-api.js';

const source = (entryId: string, score: number, answer = `Answer for ${entryId}.`): DraftSource => ({
  entryId,
  question: `Question about ${entryId}?`,
  answer,
  score,
});

const request = (sources: DraftSource[]): DraftRequest => ({
  conversationId: 'conv-1',
  locale: 'en',
  history: [{ author: 'customer', text: 'My parcel never came' }],
  sources,
});

describe('FAQ drafter (no LLM)', () => {
  it('proposes the closest answers, best first, at most three', async () => {
    const draft = await createFaqDrafter().draft(
      request([source('shipping', 0.3), source('returns', 0.8), source('payment', 0.1), source('tracking', 0.5)]),
    );
    expect(draft).toEqual({
      text: 'Answer for returns.\n\nAnswer for tracking.\n\nAnswer for shipping.',
      kind: 'faq',
      entryIds: ['returns', 'tracking', 'shipping'],
    });
  });

  it('skips empty answers and repeated entries', async () => {
    const draft = await createFaqDrafter().draft(
      request([source('blank', 0.9, '  '), source('returns', 0.8), source('returns', 0.7, 'Older copy.')]),
    );
    expect(draft).toEqual({ text: 'Answer for returns.', kind: 'faq', entryIds: ['returns'] });
  });

  it('returns null when there are no sources', async () => {
    expect(await createFaqDrafter().draft(request([]))).toBeNull();
  });
});

describe('createDrafter', () => {
  let fake: FakeAnthropic | undefined;
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });

  it('uses the FAQ drafter without an API key', async () => {
    const draft = await createDrafter({}, silentLogger).draft(request([source('returns', 0.8)]));
    expect(draft).toEqual({ text: 'Answer for returns.', kind: 'faq', entryIds: ['returns'] });
  });

  it('uses Anthropic, at the configured base URL and model, with an API key', async () => {
    fake = await startFakeAnthropic();
    fake.reply = () => 'Sorry about that — let me check where your parcel is.';
    const drafter = createDrafter({ apiKey: fake.apiKey, baseURL: fake.url, model: 'claude-opus-4-5' }, silentLogger);

    const draft = await drafter.draft(request([source('shipping', 0.4)]));

    expect(draft).toEqual({
      text: 'Sorry about that — let me check where your parcel is.',
      kind: 'llm',
      entryIds: ['shipping'],
      model: 'claude-opus-4-5',
      usage: { inputTokens: expect.any(Number), outputTokens: expect.any(Number) },
    });
    expect(fake.requests.map((r) => r.body.model)).toEqual(['claude-opus-4-5']);
  });
});
