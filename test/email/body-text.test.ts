import { describe, expect, it } from 'vitest';
import { bodyText, MAX_TEXT_CHARS } from '../../adapters/email/body-text.js';

describe('bodyText', () => {
  it('cuts an enormous body visibly instead of storing megabytes of text', () => {
    const body = 'a'.repeat(MAX_TEXT_CHARS + 500);
    const out = bodyText({ text: body, attachments: [] });
    expect(out.text.startsWith('a'.repeat(MAX_TEXT_CHARS))).toBe(true);
    expect(out.text).toMatch(/\[… 500 more characters cut; the whole email stays in the mailbox\]$/);
    expect(out.problems).toHaveLength(1);
  });

  it('falls back to HTML when the plain part is only whitespace', () => {
    expect(bodyText({ text: '\n  \n', html: '<p>Hello <i>there</i></p>', attachments: [] }).text).toBe('Hello there');
  });
});
