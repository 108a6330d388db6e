import { describe, expect, it } from 'vitest';
import { regexProblem } from '../../src/routing/regex-check.js';
import { matcherOf } from '../../src/routing/match.js';

describe('routing regex guard', () => {
  it('accepts ordinary patterns, in any language', async () => {
    for (const ok of ['\\brefund(s|ed)?\\b', '^(hi|hello)', '退款|退货', '[a-z]+@example\\.com', 'order #?\\d{4,10}']) {
      expect(await regexProblem(ok), ok).toBeUndefined();
    }
  });

  it('refuses what does not compile, is too long, back-references, nested repetition', async () => {
    expect(await regexProblem('(')).toMatch(/not a valid regular expression/);
    expect(await regexProblem('a'.repeat(201))).toMatch(/at most 200/);
    expect(await regexProblem('(a)\\1')).toMatch(/back-references/);
    expect(await regexProblem('(a+)+$')).toMatch(/catastrophic/);
    expect(await regexProblem('((ab)*c)*$')).toMatch(/catastrophic/);
    // A quantifier inside a character class is a literal, not a repetition.
    expect(await regexProblem('([+*])+')).toBeUndefined();
  });

  it('refuses a pattern that passes the shape check but backtracks for too long, and the service keeps running', async () => {
    const started = Date.now();
    expect(await regexProblem('^(a|a)*$')).toMatch(/takes too long/);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('matches keywords case- and width-insensitively, Chinese without word breaks; a broken stored rule matches nothing', () => {
    const kw = matcherOf(JSON.stringify({ keywords: ['Refund', '退款'] }));
    expect(kw('I want a REFUND')).toBe(true);
    expect(kw('ｒｅｆｕｎｄ')).toBe(true);
    expect(kw('我要退款谢谢')).toBe(true);
    expect(kw('hello')).toBe(false);
    expect(matcherOf('not json')('anything')).toBe(false);
    expect(matcherOf(JSON.stringify({ regex: 'ship(ping)?' }))('SHIPPING late')).toBe(true);
  });
});
