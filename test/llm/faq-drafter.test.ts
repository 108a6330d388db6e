import { afterEach, describe, expect, it } from 'vitest';
import { createDrafter } from '../../src/llm/create-drafter.js';
import type { DraftRequest, DraftSource } from '../../src/llm/drafter.js';
import { createFaqDrafter } from '../../src/llm/faq-drafter.js';
import { loadFaq } from '../../src/faq/load-faq.js';
import { silentLogger } from '../../src/log.js';
import { startFakeAnthropic, type FakeAnthropic } from '../fakes/anthropic-messages-api.js';
import { SAMPLE_FAQ } from '../support/app.js';

const source = (entryId: string, score: number, answer = `Answer for ${entryId}.`): DraftSource => ({
  entryId,
  question: `Question about ${entryId}?`,
  answer,
  score,
});

const request = (sources: DraftSource[], close: string[] = []): DraftRequest => ({
  conversationId: 'conv-1',
  locale: 'en',
  history: [{ author: 'customer', text: 'My parcel never came' }],
  sources,
  close,
});

describe('FAQ drafter (no LLM)', () => {
  it('proposes the one answer the FAQ engine judges close, never several glued together', async () => {
    const draft = await createFaqDrafter().draft(
      request([source('shipping', 0.3), source('returns', 0.8), source('tracking', 0.5)], ['tracking', 'returns']),
    );
    expect(draft).toEqual({ text: 'Answer for tracking.', kind: 'faq', entryIds: ['tracking'], ungrounded: false, needsCheck: false });
  });

  it('proposes nothing when the engine finds nothing close, however many candidates there are', async () => {
    expect(await createFaqDrafter().draft(request([source('shipping', 0.3), source('returns', 0.2)], []))).toBeNull();
    expect(await createFaqDrafter().draft(request([]))).toBeNull();
  });

  it('skips a close entry without an answer for the next close one', async () => {
    const draft = await createFaqDrafter().draft(request([source('blank', 0.9, '  '), source('returns', 0.8)], ['blank', 'returns']));
    expect(draft?.entryIds).toEqual(['returns']);
  });

  it('on the sample FAQ: "pasta recipe" gets no draft; a close question gets its one answer', async () => {
    const { matcher } = await loadFaq(SAMPLE_FAQ);
    const drafter = createFaqDrafter();
    const draftFor = async (text: string) => {
      const result = matcher.match(text, { locale: 'en' });
      const sources = result.candidates.slice(0, 3).map((c) => {
        const e = matcher.entry(c.entryId, 'en')!;
        return { entryId: e.id, question: e.questions[0]!, answer: e.answer, score: c.score };
      });
      const close = result.answered && result.entryId ? [result.entryId] : (result.suggestions ?? []);
      return drafter.draft({ conversationId: 'c', locale: 'en', history: [{ author: 'customer', text }], sources, close });
    };
    expect(await draftFor('pasta recipe')).toBeNull();
    const returns = await draftFor('how do I return shoes');
    expect(returns?.entryIds).toEqual(['returns-policy']);
    expect(returns?.text).toBe(matcher.entry('returns-policy', 'en')!.answer.trim());
  });
});

describe('createDrafter', () => {
  let fake: FakeAnthropic | undefined;
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });

  it('uses the FAQ drafter without an API key', async () => {
    const drafter = createDrafter({}, silentLogger);
    expect(drafter.kind).toBe('faq');
    expect(await drafter.draft(request([source('returns', 0.8)], ['returns']))).toMatchObject({ text: 'Answer for returns.', kind: 'faq' });
  });

  it('uses Anthropic, at the configured base URL and model, with an API key', async () => {
    fake = await startFakeAnthropic();
    fake.reply = () => ({
      toolInput: { reply: 'Sorry about that — let me check where your parcel is.', cited_entry_ids: ['shipping'], needs_human_check: true },
    });
    const drafter = createDrafter({ apiKey: fake.apiKey, baseURL: fake.url, model: 'claude-opus-4-5' }, silentLogger);

    const draft = await drafter.draft(request([source('shipping', 0.4)]));

    expect(draft).toMatchObject({
      text: 'Sorry about that — let me check where your parcel is.',
      kind: 'llm',
      entryIds: ['shipping'],
      ungrounded: false,
      needsCheck: true,
      model: 'claude-opus-4-5',
    });
    expect(fake.requests.map((r) => r.body.model)).toEqual(['claude-opus-4-5']);
  });
});
