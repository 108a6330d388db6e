import { Readable } from 'node:stream';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/faq/cli-args.js';
import { runFaqAsk } from '../../src/faq/cli-ask.js';
import { runFaqCheck } from '../../src/faq/cli-check.js';
import { loadFaq } from '../../src/faq/load-faq.js';
import { entryFile, smallKb, writeKb } from './fixtures.js';

function io(stdinText?: string, env: Record<string, string> = {}) {
  let out = '';
  let err = '';
  const streams: CliIo = {
    stdout: { write: (t: string) => (out += t) },
    stderr: { write: (t: string) => (err += t) },
    stdin: stdinText === undefined ? undefined : Readable.from([stdinText]),
    env,
  };
  return { streams, out: () => out, err: () => err };
}

describe('faq check', () => {
  it('passes the sample knowledge base shipped in faq/', async () => {
    const c = io();
    expect(await runFaqCheck(['--faq-dir', 'faq'], c.streams)).toBe(0);
    expect(c.out()).toMatch(/entries in en, zh — OK/);
    expect(c.out()).toMatch(
      /^ {2}en: answers at confidence ≥ 0\.\d\d \[calibrated\], offers choices from 0\.\d\d; expected to answer \d+ % /m,
    );
    expect(c.out()).toMatch(/^ {2}zh: answers at confidence ≥ /m);
  });

  it('prints each problem as path:line: message and exits 1', async () => {
    const dir = writeKb({ ...smallKb, 'en/broken.md': '---\nid: broken\nquestions: []\n---\nAnswer.\n' });
    const c = io();
    expect(await runFaqCheck([`--faq-dir=${dir}`], c.streams)).toBe(1);
    expect(c.out()).toBe(`${join(dir, 'en/broken.md')}:3: questions needs at least one example question\n`);
  });

  it('rejects an unknown option with exit 2', async () => {
    const c = io();
    expect(await runFaqCheck(['--bogus'], c.streams)).toBe(2);
    expect(c.err()).toMatch(/unknown option --bogus/);
  });
});

describe('faq ask', () => {
  const dir = writeKb(smallKb);

  it('prints one JSON line per argument, in order', async () => {
    const c = io();
    expect(
      await runFaqAsk(['--faq-dir', dir, '--json', 'how long does shipping take', '怎么退货', 'who painted the Mona Lisa'], c.streams),
    ).toBe(0);
    const lines = c
      .out()
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.question, l.answered, l.entryId, l.locale])).toEqual([
      ['how long does shipping take', true, 'shipping', 'en'],
      ['怎么退货', true, 'returns', 'zh'],
      ['who painted the Mona Lisa', false, null, 'en'],
    ]);
    for (const l of lines) {
      expect(Object.keys(l)).toEqual(['question', 'answered', 'entryId', 'confidence', 'suggestions', 'locale', 'candidates']);
      expect(Array.isArray(l.suggestions)).toBe(true);
      if (l.answered) expect(l.suggestions).toEqual([]);
      expect(l.candidates.every((c: object) => Object.keys(c).join() === 'entryId,score')).toBe(true);
    }
  });

  it("offers the matcher's suggestions for an unsure question and none for an unrelated one", async () => {
    const { matcher } = await loadFaq(dir);
    const c = io();
    expect(await runFaqAsk(['--faq-dir', dir, '--json', 'where is my item', 'who painted the Mona Lisa'], c.streams)).toBe(0);
    const [unsure, unrelated] = c
      .out()
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(unsure).toMatchObject({ answered: false, entryId: null });
    expect(unsure.suggestions.length).toBeGreaterThanOrEqual(2);
    expect(unsure.suggestions).toEqual(matcher.match('where is my item').suggestions);
    expect(unrelated).toMatchObject({ answered: false, suggestions: [] });
  });

  it('reads questions from standard input, one per line, without --json as readable lines', async () => {
    const c = io('How do I return an item?\n\nWhen will my package arrive?\n');
    expect(await runFaqAsk(['--faq-dir', dir], c.streams)).toBe(0);
    expect(c.out()).toMatch(
      /^How do I return an item\?\n {2}→ returns \[en, confidence 0\.\d\d\]\nWhen will my package arrive\?\n {2}→ shipping /,
    );
  });

  it('refuses a broken knowledge base and a bad FAQ_MIN_CONFIDENCE', async () => {
    const broken = writeKb({ ...smallKb, 'zh/extra.md': entryFile('extra', ['还有吗？'], '有。') });
    const c = io();
    expect(await runFaqAsk(['--faq-dir', broken, 'hello'], c.streams)).toBe(1);
    expect(c.err()).toMatch(/zh\/extra\.md:2: entry "extra" has no en version/);
    const d = io(undefined, { FAQ_MIN_CONFIDENCE: '1.5' });
    expect(await runFaqAsk(['--faq-dir', dir, 'hello'], d.streams)).toBe(2);
    expect(d.err()).toMatch(/FAQ_MIN_CONFIDENCE must be a number between 0 and 1/);
  });
});
