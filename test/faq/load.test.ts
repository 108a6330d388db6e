import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadFaq } from '../../src/faq/load-faq.js';
import { entryFile, smallKb, writeKb } from './fixtures.js';

describe('loading a knowledge base', () => {
  it('loads entries in every locale with their tags and team', async () => {
    const { matcher, errors } = await loadFaq(writeKb(smallKb));
    expect(errors).toEqual([]);
    expect(matcher.entry('returns', 'zh')).toMatchObject({ locale: 'zh', answer: '30 天内免费退货。', team: 'billing', tags: ['returns'] });
    expect(matcher.entry('shipping', 'fr')?.locale).toBe('en');
    expect(matcher.entry('nope')).toBeUndefined();
  });

  it('reports each problem as path:line: message', async () => {
    const dir = writeKb({
      ...smallKb,
      'en/no-id.md': '---\nquestions:\n  - Do you sell gift cards?\n---\nYes.\n',
      'en/bad-yaml.md': '---\nid: bad-yaml\nquestions: [unclosed\n---\nAnswer.\n',
      'en/empty.md': entryFile('empty', ['Is there an answer?'], ''),
      'en/renamed.md': entryFile('other-name', ['Where is the file name?'], 'Here.'),
      'en/copy.md': entryFile('copy', ['Where are you?', 'how do I return an item'], 'Copied.'),
      'en/no-front-matter.md': 'Just an answer.\n',
      'zh/only-zh.md': entryFile('only-zh', ['只有中文吗？'], '是的。'),
      'en/synonyms.txt': 'parcel\n',
    });
    const { errors } = await loadFaq(dir);
    const rel = errors.map((e) => e.replace(dir + '/', ''));
    expect(rel).toEqual(
      expect.arrayContaining([
        'en/no-id.md:1: id is required',
        expect.stringMatching(/^en\/bad-yaml\.md:3: invalid YAML: /),
        'en/empty.md:6: the answer (the text after the front matter) is empty',
        'en/renamed.md:2: id "other-name" does not match the file name "renamed.md"',
        // Files are read in name order, so copy.md claims the question first.
        `en/returns.md:4: question "How do I return an item?" is also asked in entry "copy" (${join(dir, 'en/copy.md')})`,
        `en/copy.md:2: entry "copy" has no zh version (expected ${join(dir, 'zh/copy.md')})`,
        'en/no-front-matter.md:1: missing front matter: the file must start with a "---" line',
        `zh/only-zh.md:2: entry "only-zh" has no en version (expected ${join(dir, 'en/only-zh.md')})`,
        'en/synonyms.txt:1: a synonym group needs at least two comma-separated terms',
      ]),
    );
  });

  it('reports the line of a question that is not text', async () => {
    const dir = writeKb({ 'en/x.md': '---\nid: x\nquestions:\n  - fine\n  - [1, 2]\n---\nAnswer.\n' });
    const { errors } = await loadFaq(dir);
    expect(errors).toEqual([`${join(dir, 'en/x.md')}:5: each question must be text`]);
  });

  it('reports a missing directory instead of throwing', async () => {
    const { errors, matcher } = await loadFaq('/nonexistent/faq');
    expect(errors[0]).toMatch(/^\/nonexistent\/faq:1: cannot read the FAQ directory: /);
    expect(matcher.match('hello').answered).toBe(false);
  });
});
