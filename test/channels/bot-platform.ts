/**
 * What Telegram and Discord have in common beyond the channel contract: both are bot platforms
 * that rate-limit sends, can refuse a customer's replies for good, and check the bot token at start.
 * Each runs this suite against the real app and its protocol fake.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, startApp, tempDir } from '../support/app.js';
import { conversationIdOf, replies, settled, type ChannelCustomer, type ChannelHarness } from './contract.js';

export interface PlatformCustomer extends ChannelCustomer {
  /** The platform answers the next send to this customer with a rate limit of `seconds`. */
  rateLimitNextReply(seconds: number): void;
  /** The platform refuses every send to this customer from now on (a blocked bot, closed DMs). */
  refuseReplies(): void;
  /** When each attempt to send this customer a message reached the platform (ms since the epoch). */
  replyAttempts(): number[];
  /** How many typing indicators reached the platform for this customer's chat. */
  typingShown(): number;
}

export interface PlatformHarness extends ChannelHarness {
  newCustomer(name?: string): Promise<PlatformCustomer>;
  /** Start-up environments the app must refuse, each with the error that names what is wrong. */
  badEnvironments: { env: Record<string, string>; error: RegExp }[];
}

export interface BotPlatform {
  /** Longer than the adapter waits inside one send, so the outbox does the retry. */
  rateLimitSeconds: number;
  /** The delivery error a refused customer's reply is shown with. */
  refusedError: RegExp;
}

export function botPlatformContract(name: string, makeHarness: () => Promise<PlatformHarness>, platform: BotPlatform): void {
  describe(`${name}: the bot platform contract`, () => {
    let h: PlatformHarness;
    let agent: { token: string };

    beforeAll(async () => {
      h = await makeHarness();
      agent = await h.app.createAgent('Platform Agent');
    });
    afterAll(async () => {
      await h?.close();
    });

    it('shows the customer the platform’s typing indicator while an agent types, at most once per 4 s per chat', async () => {
      const customer = await h.newCustomer();
      const id = await customer.says('human');
      await replies(customer, 1);
      const conversationId = await conversationIdOf(h, id);
      expect((await api(h.app, agent.token, 'POST', `/api/conversations/${conversationId}/claim`)).status).toBe(200);
      const typing = () => api(h.app, agent.token, 'POST', `/api/conversations/${conversationId}/typing`);
      expect(await typing()).toEqual({ status: 202, body: { delivered: true } });
      expect(customer.typingShown()).toBe(1);
      // Typing on within the 4 s: the indicator is still showing, nothing more is sent.
      expect((await typing()).status).toBe(202);
      expect(customer.typingShown()).toBe(1);
      // Another agent, who does not hold the conversation, is refused.
      const other = await h.app.createAgent('Bystander');
      expect((await api(h.app, other.token, 'POST', `/api/conversations/${conversationId}/typing`)).status).toBe(403);
      expect(customer.typingShown()).toBe(1);
    });

    it('retries a rate-limited reply after the time the platform names, and delivers it once', async () => {
      const customer = await h.newCustomer();
      customer.rateLimitNextReply(platform.rateLimitSeconds);
      const id = await customer.says('How do I return an item?');
      await replies(customer, 1);
      const attempts = customer.replyAttempts();
      expect(attempts).toHaveLength(2);
      expect(attempts[1]! - attempts[0]!).toBeGreaterThanOrEqual(platform.rateLimitSeconds * 1000);
      const view = await settled(h, agent.token, await conversationIdOf(h, id), (v) => v.messages[1]?.delivery === 'sent');
      expect(view.messages.filter((m) => m.direction === 'out')).toHaveLength(1);
    });

    it('shows a reply the platform refuses as a failed delivery on the conversation, without retrying', async () => {
      const customer = await h.newCustomer();
      customer.refuseReplies();
      const id = await customer.says('human');
      const view = await settled(h, agent.token, await conversationIdOf(h, id), (v) => v.messages.some((m) => m.delivery === 'failed'));
      expect(view.messages.find((m) => m.direction === 'out')!.deliveryError).toMatch(platform.refusedError);
      expect(customer.replyAttempts()).toHaveLength(1);
    });

    it('refuses to start with a malformed variable or a token the platform refuses, naming it', async () => {
      const dir = await tempDir();
      try {
        for (const { env, error } of h.badEnvironments) await expect(startApp(env, dir.path)).rejects.toThrow(error);
      } finally {
        await dir.rm();
      }
    });
  });
}
