import { describe, expect, it } from 'vitest';
import { checkName, checkText, cleanDisplayName, isBlank, MAX_COMBINING_RUN } from '../../src/kit/clean-text.js';

const text = (raw: string) => {
  const r = checkText(raw);
  return r.ok ? r.text : `refused: ${r.reason}`;
};

describe('checkText: the one cleaning of inbound text', () => {
  it('refuses lone surrogates, high or low, and keeps proper pairs', () => {
    expect(text('a\ud800b')).toMatch(/refused: .*lone surrogate/);
    expect(text('a\udc00')).toMatch(/refused: .*lone surrogate/);
    expect(text('\ud83d\ude00 ok')).toBe('😀 ok');
  });

  it('removes NUL and control characters but keeps newlines and tabs, and turns CR LF into LF', () => {
    expect(text('a\u0000b\u0007c\u001bd\u007fe\u0085f')).toBe('abcdef');
    expect(text('line 1\r\nline 2\rline 3\tend')).toBe('line 1\nline 2\nline 3\tend');
  });

  it('refuses text that is empty once whitespace and invisible characters are set aside', () => {
    for (const blank of [
      '',
      '   ',
      '\u200b\u200c\u200d',
      '\ufeff\u2060',
      '\u0000\u0000',
      '\u3000\u00a0\n\t',
      '\u202e\u202d',
      '\u3164',
      '\u{e0041}\u{e0042}',
    ]) {
      expect(text(blank), JSON.stringify(blank)).toBe('refused: must not be empty');
    }
  });

  it('keeps invisible joiners inside visible text: emoji ZWJ sequences and Persian ZWNJ survive', () => {
    const family = '👨\u200d👩\u200d👧\u200d👦';
    expect(text(`hi ${family}`)).toBe(`hi ${family}`);
    expect(text('می\u200cخواهم')).toBe('می\u200cخواهم');
    expect(text('🏴\u{e0067}\u{e0062}\u{e0073}\u{e0063}\u{e0074}\u{e007f}')).toBe(
      '🏴\u{e0067}\u{e0062}\u{e0073}\u{e0063}\u{e0074}\u{e007f}',
    );
  });

  it(`caps runs of combining marks at ${MAX_COMBINING_RUN} and composes to NFC`, () => {
    const storm = 'Z' + '\u0301\u0302\u0303\u0304\u0305\u0306\u0307\u0308'.repeat(4) + 'a';
    const cleaned = text(storm);
    expect([...cleaned].length).toBe(1 + MAX_COMBINING_RUN + 1);
    expect(text('e\u0301')).toBe('é');
    // Thai and Devanagari stay as they are.
    expect(text('น้ำ क्षत्रिय')).toBe('น้ำ क्षत्रिय');
  });

  it('is blank-aware of the characters set aside only', () => {
    expect(isBlank('\u200b x')).toBe(false);
    expect(isBlank('\u200b \u2800')).toBe(true);
  });
});

describe('checkName: names shown to people', () => {
  it('makes a name one line, without controls, and refuses bidi controls for agents', () => {
    expect(checkName('Alice\r\nX-Role: admin', 'refuse')).toEqual({ ok: true, text: 'Alice X-Role: admin' });
    expect(checkName('Bo\u0000b', 'refuse')).toEqual({ ok: true, text: 'Bob' });
    expect(checkName('evil\u202egnp.exe', 'refuse')).toEqual({ ok: false, reason: 'must not contain bidirectional control characters' });
    expect(checkName('\u200b', 'refuse')).toEqual({ ok: false, reason: 'must not be empty' });
  });

  it('removes bidi controls from platform display names, and gives up on nothing left', () => {
    expect(cleanDisplayName('evil\u202egnp.exe')).toBe('evilgnp.exe');
    expect(cleanDisplayName('  Mei \t Lin ')).toBe('Mei Lin');
    expect(cleanDisplayName('\u200d\u200d')).toBeUndefined();
    expect(cleanDisplayName('x\ud800')).toBe('x\ufffd');
    expect(cleanDisplayName(undefined)).toBeUndefined();
  });
});
