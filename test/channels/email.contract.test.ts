import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeEntriesKb, writeKb } from '../faq/fixtures.js';
import { channelContract, replies, type ChannelHarness } from './contract.js';
import { emailHarness } from './email.js';

channelContract('email', emailHarness);

describe('email: choices as a numbered list', () => {
  let h: ChannelHarness;
  beforeAll(async () => {
    h = await emailHarness({ FAQ_DIR: writeKb(closeEntriesKb) });
  });
  afterAll(() => h?.close());

  it('a bare digit answers with the entry it numbers; text that is not a number is a fresh question', async () => {
    const customer = await h.newCustomer();
    await customer.says('gift card');
    const [offer] = await replies(customer, 1);
    expect(offer).toMatch(/^1\. .+$/m);
    expect(offer).toContain('Reply with the number of your choice.');
    const second = (await customer.lastChoices())[1]!;
    await customer.says('2');
    const [, answer] = await replies(customer, 2);
    expect(answer).toContain(
      second === 'Does my gift card expire?' ? 'Gift cards never expire.' : 'Your gift card balance is shown at checkout.',
    );

    await customer.says('gift card');
    await replies(customer, 3);
    await customer.says('How long does shipping take?');
    const [, , , shipping] = await replies(customer, 4);
    expect(shipping).toContain('Shipping takes 3 to 5 days.');
  });
});
