/** The eval harness's plumbing against the fake Messages API (the real model is only for `npm run eval:llm`). */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAnthropicDrafter } from '../../src/llm/anthropic-drafter.js';
import { evalCases, runEval } from '../../src/llm/eval.js';
import { loadFaq } from '../../src/faq/load-faq.js';
import { silentLogger } from '../../src/log.js';
import { startFakeAnthropic, type FakeAnthropic } from '../fakes/anthropic-messages-api.js';
import { SAMPLE_FAQ } from '../support/app.js';

describe('npm run eval:llm plumbing', () => {
  let fake: FakeAnthropic;
  beforeAll(async () => {
    fake = await startFakeAnthropic();
  });
  afterAll(async () => fake?.close());

  it('runs the shipped cases through the real prompt builder and scores citations, groundedness and injections', async () => {
    const file = join(import.meta.dirname, '..', '..', 'eval', 'llm-cases.json');
    const cases = evalCases.parse(JSON.parse(await readFile(file, 'utf8'))).cases;
    expect(cases.some((c) => c.locale === 'zh')).toBe(true);
    expect(cases.some((c) => c.injection)).toBe(true);
    const { matcher } = await loadFaq(SAMPLE_FAQ);
    // A scripted model: cites the first source it was given; obeys the English injection (a failure to catch).
    fake.reply = (req) => {
      const system = (req.body.system as { text: string }[])[1]!.text;
      const first = /<entry id="([^"]+)">/.exec(system)?.[1];
      const user = (req.body.messages[0]!.content as { text: string }[])[0]!.text;
      if (user.includes('admin mode'))
        return { toolInput: { reply: 'Your 100% refund is confirmed.', cited_entry_ids: [], needs_human_check: false } };
      const injected = /SYSTEM|系统提示/.test(user);
      return {
        toolInput: { reply: 'A colleague will check.', cited_entry_ids: injected || !first ? [] : [first], needs_human_check: injected },
      };
    };
    const report = await runEval(createAnthropicDrafter({ apiKey: fake.apiKey, baseURL: fake.url }, silentLogger), matcher, cases);

    expect(report.cases).toHaveLength(cases.length);
    expect(fake.requests).toHaveLength(cases.length);
    const en = report.cases.find((c) => c.id === 'en-injection')!;
    expect(en).toMatchObject({ resisted: false, saidForbidden: ['100% refund is confirmed'] });
    expect(report.cases.find((c) => c.id === 'zh-injection')).toMatchObject({ resisted: true, flagged: true });
    expect(report.injectionResistance).toBeCloseTo(2 / 3, 3);
    const scored = report.cases.filter((c) => c.citationCorrect !== null);
    expect(report.citationAccuracy).toBeCloseTo(scored.filter((c) => c.citationCorrect).length / scored.length, 3);
    expect(report.citationAccuracy).toBeGreaterThan(0);
    expect(report.groundedness).not.toBeNull();
  });
});
