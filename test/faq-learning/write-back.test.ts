import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FaqWriter, entryPath, withExampleQuestion } from '../../src/faq-learning/write-back.js';
import { entryFile, smallKb, writeKb } from '../faq/fixtures.js';

describe('writing approved suggestions into the knowledge base', () => {
  it('appends an example in place, keeping comments and every other line, and the index learns it', async () => {
    const dir = writeKb({
      ...smallKb,
      'en/returns.md': `---\nid: returns   # the id\nquestions:\n  - How do I return an item?   # most asked\n  - Can I send my order back?\ntags: [returns]\n---\nReturns are free within 30 days.\n\nSee **My orders**.\n`,
    });
    const matcher = await new FaqWriter(dir).addExample('en', 'returns', 'my parcel: wrong size, take it back?');
    expect(readFileSync(join(dir, 'en/returns.md'), 'utf8')).toBe(
      `---\nid: returns   # the id\nquestions:\n  - How do I return an item?   # most asked\n  - Can I send my order back?\n  - "my parcel: wrong size, take it back?"\ntags: [returns]\n---\nReturns are free within 30 days.\n\nSee **My orders**.\n`,
    );
    expect(matcher.entry('returns', 'en')?.questions).toContain('my parcel: wrong size, take it back?');
    expect(readdirSync(join(dir, 'en')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('leaves a question the entry already asks alone, and adds to a flow list', () => {
    const source = entryFile('a', ['How do I return an item?'], 'Yes.');
    expect(withExampleQuestion(source, 'how do i return an item', 'a.md')).toBe(source);
    expect(withExampleQuestion('---\nid: a\nquestions: [one, two]\n---\nYes.\n', 'three', 'a.md')).toMatch(
      /questions: \[ one, two, three \]\n---\nYes\.\n$/,
    );
  });

  it('puts the file back and refuses when the knowledge base would not load with the change', async () => {
    const dir = writeKb(smallKb);
    const writer = new FaqWriter(dir);
    const before = readFileSync(join(dir, 'en/shipping.md'), 'utf8');
    await expect(writer.addExample('en', 'shipping', 'How do I return an item?')).rejects.toThrow(/also asked in entry "returns"/);
    expect(readFileSync(join(dir, 'en/shipping.md'), 'utf8')).toBe(before);
    // Every entry needs every locale: a new English-only entry in an English and Chinese knowledge base is refused, and no file is left.
    const giftWrap = { locale: 'en', question: 'Do you gift wrap?', answer: 'Yes, for free.' };
    await expect(writer.createEntry('gift-wrap', [giftWrap])).rejects.toThrow(/also written in zh; give translations\.zh/);
    expect(readdirSync(join(dir, 'en')).sort()).toEqual(['returns.md', 'shipping.md']);
    // One version that does not load (a question another entry asks) takes the other back with it.
    await expect(
      writer.createEntry('gift-wrap', [giftWrap, { locale: 'zh', question: '怎么退货？', answer: '免费包装。' }]),
    ).rejects.toThrow(/"怎么退货？" is also asked/);
    expect([...readdirSync(join(dir, 'en')), ...readdirSync(join(dir, 'zh'))].sort()).toEqual([
      'returns.md',
      'returns.md',
      'shipping.md',
      'shipping.md',
    ]);
    await expect(
      writer.createEntry('returns', [
        { locale: 'en', question: 'Another?', answer: 'No.' },
        { ...giftWrap, locale: 'zh' },
      ]),
    ).rejects.toThrow(/already exists/);
    await expect(writer.addExample('en', 'no-such', 'x?')).rejects.toThrow(/has no en file/);
    await expect(writer.createEntry('gift-wrap', [{ ...giftWrap, locale: 'fr' }])).rejects.toThrow(/no fr folder/);
  });

  it('creates a new entry in every language of the knowledge base, and the index answers it in both', async () => {
    const dir = writeKb(smallKb);
    const writer = new FaqWriter(dir);
    expect(await writer.locales()).toEqual(['en', 'zh']);
    const matcher = await writer.createEntry('gift-wrap', [
      { locale: 'en', question: 'Do you gift wrap?', answer: 'Yes, for free.' },
      { locale: 'zh', question: '可以包装成礼物吗？', answer: '可以，免费。' },
    ]);
    expect(matcher.entry('gift-wrap', 'en')?.answer).toBe('Yes, for free.');
    expect(matcher.entry('gift-wrap', 'zh')?.answer).toBe('可以，免费。');
    const { loadFaq } = await import('../../src/faq/load-faq.js');
    expect((await loadFaq(dir)).errors).toEqual([]);
  });

  it('refuses ids and locales that would leave the FAQ directory', () => {
    for (const [locale, id] of [
      ['en', '../x'],
      ['en', '/etc/passwd'],
      ['..', 'x'],
      ['en/../..', 'x'],
      ['en', 'a/b'],
    ]) {
      expect(() => entryPath('/srv/faq', locale!, id!)).toThrow();
    }
    expect(entryPath('/srv/faq', 'en', 'gift-wrap')).toBe('/srv/faq/en/gift-wrap.md');
  });
});
