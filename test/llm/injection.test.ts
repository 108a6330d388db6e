import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectInjection } from '../../src/llm/injection.js';

interface Case {
  id: string;
  kind: string;
  where?: 'quoted' | 'attachment';
  text: string;
  fullText?: string;
  attachments?: string[];
}
export const RED_TEAM = (
  JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'prompt-injection.json'), 'utf8')) as { cases: Case[] }
).cases;

describe('prompt-injection detector', () => {
  it.each(RED_TEAM)('finds $id ($kind)', (c) => {
    const hit = detectInjection({ text: c.text, fullText: c.fullText ?? null, attachmentNames: c.attachments ?? [] });
    expect(hit?.kind).toBe(c.kind);
    expect(hit?.where).toBe(c.where ?? 'text');
    expect(hit?.reason).toMatch(/^possible prompt injection/);
  });

  it.each([
    'How do I check my gift card balance?',
    'I want to return an item, the instructions in the box were unclear.',
    'Please ignore my previous email, I found the parcel.',
    'Can the system send me a receipt?',
    'My order number is 12345 <3',
    '请问礼品卡会过期吗？',
    '我想退货，说明书上的指示看不懂。',
    '系统一直显示加载中，怎么办？',
  ])('leaves ordinary text alone: %s', (text) => {
    expect(detectInjection({ text })).toBeUndefined();
  });
});
