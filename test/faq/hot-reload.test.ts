import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Logger } from '../../src/log.js';
import { loadFaq } from '../../src/faq/load-faq.js';
import type { FaqMatcher } from '../../src/faq/matcher.js';
import { watchFaq, type FaqWatcher } from '../../src/faq/watch-faq.js';
import { entryFile, smallKb, writeKb } from './fixtures.js';

/** A logger that keeps what it was told and lets a test wait for a message. */
function recordingLogger() {
  const lines: { level: string; msg: string; fields?: Record<string, unknown> }[] = [];
  const waiters: { level: string; resolve: (fields?: Record<string, unknown>) => void }[] = [];
  const record = (level: string) => (msg: string, fields?: Record<string, unknown>) => {
    lines.push({ level, msg, fields });
    for (const w of waiters.splice(0)) {
      if (w.level === level) w.resolve(fields);
      else waiters.push(w);
    }
  };
  const log: Logger = { debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error'), child: () => log };
  const next = (level: string) => new Promise<Record<string, unknown> | undefined>((resolve) => waiters.push({ level, resolve }));
  return { log, lines, next };
}

const gift = {
  en: entryFile('gift-cards', ['Do you sell gift cards?'], 'Yes, from $10.'),
  zh: entryFile('gift-cards', ['你们有礼品卡吗？'], '有，10 美元起。'),
};

describe('hot reload', () => {
  let watcher: FaqWatcher | undefined;
  afterEach(() => watcher?.close());

  it('swaps in a changed knowledge base and keeps the last good one while it is broken', async () => {
    const dir = writeKb(smallKb);
    let current: FaqMatcher = (await loadFaq(dir)).matcher;
    const { log, next } = recordingLogger();
    watcher = watchFaq(dir, (m) => (current = m), log, { debounceMs: 50 });

    expect(current.match('Do you sell gift cards?').answered).toBe(false);
    let reloaded = next('info');
    writeFileSync(join(dir, 'en/gift-cards.md'), gift.en);
    writeFileSync(join(dir, 'zh/gift-cards.md'), gift.zh);
    await reloaded;
    expect(current.match('Do you sell gift cards?')).toMatchObject({ answered: true, entryId: 'gift-cards' });

    const beforeBreak = current;
    const refused = next('error');
    writeFileSync(join(dir, 'en/shipping.md'), '---\nid: shipping\nquestions: []\n---\n');
    const fields = await refused;
    expect(fields?.errors).toEqual(expect.arrayContaining([expect.stringMatching(/en\/shipping\.md:3: /)]));
    expect(current).toBe(beforeBreak);
    expect(current.match('How long does shipping take?')).toMatchObject({ answered: true, entryId: 'shipping' });

    reloaded = next('info');
    rmSync(join(dir, 'en/gift-cards.md'));
    rmSync(join(dir, 'zh/gift-cards.md'));
    writeFileSync(join(dir, 'en/shipping.md'), smallKb['en/shipping.md']);
    await reloaded;
    expect(current).not.toBe(beforeBreak);
    expect(current.match('Do you sell gift cards?').answered).toBe(false);
  });
});
