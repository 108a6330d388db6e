import { describe, expect, it } from 'vitest';
import { partialStringField } from '../../src/llm/partial-reply.js';

describe('partialStringField', () => {
  const full = JSON.stringify({ reply: 'Line "one"\nzwei — 你好 😀 \\ end', cited_entry_ids: ['a'] });

  it('decodes the string as far as it has arrived, never past a cut escape, and whole once closed', () => {
    let last = '';
    for (let n = 0; n <= full.length; n++) {
      const got = partialStringField(full.slice(0, n), 'reply');
      if (got === undefined) continue;
      // Every prefix decodes to a prefix of the final text: nothing is relayed that must be taken back.
      expect('Line "one"\nzwei — 你好 😀 \\ end'.startsWith(got)).toBe(true);
      expect(got.length).toBeGreaterThanOrEqual(last.length);
      last = got;
    }
    expect(last).toBe('Line "one"\nzwei — 你好 😀 \\ end');
  });

  it('finds the field only as a key, not inside another value', () => {
    expect(partialStringField('{"note": "the \\"reply\\": \\"x', 'reply')).toBeUndefined();
    expect(partialStringField('{"cited_entry_ids": [], "reply": "Hi', 'reply')).toBe('Hi');
  });
});
