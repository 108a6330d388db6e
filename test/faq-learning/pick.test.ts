import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeLogged } from '../../src/domain/events.js';
import { addPickSuggestion } from '../../src/faq-learning/suggestions.js';
import { openStore, type Store } from '../../src/store/store.js';
import { tempDir } from '../support/app.js';
import { fixtures } from '../store/contract/fixtures.js';

describe('addPickSuggestion: a customer picked an FAQ choice', () => {
  let store: Store;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  beforeAll(async () => {
    dir = await tempDir();
    store = await openStore({ sqliteFile: join(dir.path, 'switchboard.db') });
  });
  afterAll(async () => {
    await store?.close();
    await dir?.rm();
  });

  it('becomes a pending example suggestion from the customer, with its event, in the caller’s transaction', async () => {
    const c = await fixtures(() => store).conversation();
    const row = await store.tx((r) =>
      addPickSuggestion(r, {
        conversationId: c.id,
        entryId: 'returns-policy',
        locale: 'en',
        question: 'wrong size, send back?',
        at: 42_000,
      }),
    );
    expect(await store.tx((r) => r.faqSuggestions.get(row.id))).toMatchObject({
      conversationId: c.id,
      entryId: 'returns-policy',
      newEntry: 0,
      locale: 'en',
      question: 'wrong size, send back?',
      source: 'pick',
      createdBy: 'customer',
      status: 'pending',
      createdAt: 42_000,
    });
    const events = (await store.tx((r) => r.events.after(0, { conversationId: c.id, limit: 10 }))).map(decodeLogged);
    expect(events.map((e) => [e.type, e.data])).toEqual([
      ['faq_suggestion', { suggestionId: row.id, action: 'suggest', by: 'customer', entryId: 'returns-policy' }],
    ]);

    await expect(
      store.tx(async (r) => {
        await addPickSuggestion(r, { conversationId: c.id, entryId: 'shipping-time', locale: 'en', question: 'rolled back?', at: 43_000 });
        throw new Error('the caller fails');
      }),
    ).rejects.toThrow('the caller fails');
    expect((await store.tx((r) => r.faqSuggestions.list({ limit: 10, offset: 0 }))).map((s) => s.question)).toEqual([
      'wrong size, send back?',
    ]);
  });
});
