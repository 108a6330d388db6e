import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Running } from '../../src/main.js';
import { FakeDiscordApi } from '../fakes/discord-api.js';
import { api, eventually, startApp, tempDir } from '../support/app.js';
import { createTestDatabase, TEST_DATABASE_URL } from '../support/postgres.js';

describe.skipIf(!TEST_DATABASE_URL)('Discord with two instances on one PostgreSQL', () => {
  let fake: FakeDiscordApi;
  let leader: Running | undefined;
  let follower: Running;
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let dirs: Awaited<ReturnType<typeof tempDir>>[];

  beforeAll(async () => {
    fake = await FakeDiscordApi.start();
    db = await createTestDatabase();
    dirs = [await tempDir(), await tempDir()];
    const env = { DATABASE_URL: db.url, DISCORD_BOT_TOKEN: fake.token, DISCORD_API_URL: fake.apiUrl, FAQ_MIN_SUGGEST_CONFIDENCE: '1' };
    // Started one after the other, the first takes the gateway's leadership.
    leader = await startApp(env, dirs[0]!.path);
    follower = await startApp(env, dirs[1]!.path);
  });

  afterAll(async () => {
    await leader?.stop();
    await follower?.stop();
    await db?.drop();
    await fake?.close();
    for (const d of dirs ?? []) await d.rm();
  });

  it('holds one gateway session across instances, and hands it over when the leader stops, catching up what came meanwhile', async () => {
    expect(fake.connected).toBe(true);
    expect(fake.identifies).toHaveLength(1);

    const kim = { id: '510000000000000001', username: 'kim', global_name: 'Kim' };
    const question = fake.pushMessage(kim, 'My order arrived with a scratch on the lid');
    const dm = question.channel_id;
    await fake.waitFor(() => fake.sentTo(dm).length === 1, 10_000, 'holding reply');

    // The agent works on the instance that is not connected to the gateway.
    const agent = await follower.createAgent('Bea');
    const conv = await eventually(
      async () => (await api(follower, agent.token, 'GET', '/api/conversations?status=queued')).body.items[0],
      10_000,
      'queued',
    );
    expect((await api(follower, agent.token, 'POST', `/api/conversations/${conv.id}/claim`)).status).toBe(200);
    expect(
      (
        await api(follower, agent.token, 'POST', `/api/conversations/${conv.id}/messages`, {
          text: 'Sorry about that, a new lid is on its way.',
        })
      ).status,
    ).toBe(201);
    await fake.waitFor(() => fake.sentTo(dm).length === 2, 10_000, 'agent reply');

    await leader!.stop();
    leader = undefined;
    fake.pushMessage(kim, 'Thanks!');
    // The follower takes the lock over, identifies, and catches up the message no session received.
    await fake.waitFor(() => fake.identifies.length === 2 && fake.connected, 20_000, 'takeover');
    const detail = await eventually(
      async () => {
        const d = await api(follower, agent.token, 'GET', `/api/conversations/${conv.id}`);
        return d.body.messages.length === 4 ? d.body : undefined;
      },
      10_000,
      'the message sent during the takeover',
    );
    expect(detail.messages.map((m: { author: string; text: string }) => `${m.author}: ${m.text}`)).toEqual([
      'customer: My order arrived with a scratch on the lid',
      expect.stringMatching(/^bot: /),
      'agent: Sorry about that, a new lid is on its way.',
      'customer: Thanks!',
    ]);
    expect(fake.sentTo(dm)).toHaveLength(2);
  }, 40_000);
});
