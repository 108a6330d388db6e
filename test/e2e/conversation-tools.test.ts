import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, eventually, startApp } from '../support/app.js';
import { RawSseReader, WebchatCustomer } from '../support/webchat-client.js';
import { newId } from '../../src/domain/ids.js';
import type { Running } from '../../src/main.js';
import { createTestDatabase, TEST_DATABASE_URL } from '../support/postgres.js';

type Agent = { id: string; token: string };

function conversationToolsSuite(dialect: 'SQLite' | 'PostgreSQL') {
  describe(`conversation tools through the real app (web chat, agent API, ${dialect})`, () => {
    let app: Running;
    let db: Awaited<ReturnType<typeof createTestDatabase>> | undefined;
    let alice: Agent;
    let bob: Agent;
    let carol: Agent;
    let dave: Agent;
    let admin: Agent;
    const streams: RawSseReader[] = [];
    const streamOf = (a: Agent) => {
      const s = new RawSseReader(`${app.url}/api/events`, { authorization: `Bearer ${a.token}` });
      streams.push(s);
      return s;
    };

    beforeAll(async () => {
      db = dialect === 'PostgreSQL' ? await createTestDatabase() : undefined;
      app = await startApp({ SNOOZE_CHECK_SECONDS: '0.2', ...(db ? { DATABASE_URL: db.url } : {}) });
      alice = await app.createAgent('Alice');
      bob = await app.createAgent('Bob');
      carol = await app.createAgent('Carol');
      dave = await app.createAgent('Dave');
      admin = await app.createAgent('Root', 'admin');
    });
    afterAll(async () => {
      for (const s of streams) s.close();
      await app?.stop();
      await db?.drop();
    });

    /** A web-chat customer's conversation id, once their first message is in. */
    async function conversationOf(customer: WebchatCustomer): Promise<string> {
      return eventually(
        () => app.store.read(async (r) => (await r.conversations.latestForThread('webchat', customer.sessionId))?.id),
        10_000,
        'conversation',
      );
    }
    const detail = async (id: string, token = alice.token) => (await api(app, token, 'GET', `/api/conversations/${id}`)).body;
    const listIds = async (query: string, token = alice.token) => {
      const res = await api(app, token, 'GET', `/api/conversations${query}`);
      expect(res.status).toBe(200);
      return (res.body.items as { id: string }[]).map((i) => i.id);
    };

    it('a complaint raises the priority to high and labels it, and the FAQ still answers', async () => {
      const customer = await WebchatCustomer.open(app.url);
      const stream = customer.stream();
      streams.push(stream);
      await customer.say('How do I return an item? This is unacceptable!');
      const answer = await eventually(async () => stream.items.find((i) => i.direction === 'out'), 10_000, 'FAQ answer');
      expect(answer.author).toBe('bot');
      expect(answer.text).toMatch(/return unused items within 30 days/i);
      const id = await conversationOf(customer);
      const body = await detail(id);
      expect(body.conversation).toMatchObject({ status: 'bot', priority: 'high', labels: ['complaint'] });
      expect(await listIds('?label=complaint')).toContain(id);

      // In Chinese, and a negated one changes nothing.
      const calm = await WebchatCustomer.open(app.url);
      await calm.say('这不是投诉，我想问一下怎么退货');
      const calmId = await conversationOf(calm);
      await eventually(
        async () => (await detail(calmId)).messages.some((m: { direction: string }) => m.direction === 'out'),
        10_000,
        'reply',
      );
      expect((await detail(calmId)).conversation).toMatchObject({ priority: 'normal', labels: [] });
      const angry = await WebchatCustomer.open(app.url);
      await angry.say('你们就是骗子，我要投诉');
      const angryId = await conversationOf(angry);
      await eventually(async () => (await detail(angryId)).conversation.priority === 'high' || undefined, 10_000, 'priority');
      expect((await detail(angryId)).conversation.labels).toEqual(['complaint']);
    });

    it('a complaint never lowers an urgent priority', async () => {
      const customer = await WebchatCustomer.open(app.url);
      await customer.say('hello');
      const id = await conversationOf(customer);
      expect((await api(app, alice.token, 'PATCH', `/api/conversations/${id}`, { priority: 'urgent' })).status).toBe(200);
      await customer.say('worst service ever');
      await eventually(async () => ((await detail(id)).conversation.labels.includes('complaint') as boolean) || undefined, 10_000, 'label');
      expect((await detail(id)).conversation.priority).toBe('urgent');
    });

    it('a VIP customer’s conversation opens at high priority', async () => {
      const customer = await WebchatCustomer.open(app.url);
      // A known VIP: the customer and their web-chat identity exist before they write (tiers are set by the customers API).
      const now = Date.now();
      const customerId = newId(now);
      await app.store.tx(async (r) => {
        await r.customers.insert({
          id: customerId,
          displayName: 'Vera',
          email: null,
          locale: 'en',
          createdAt: now,
          erasedAt: null,
          tier: 'vip',
          notes: null,
          mergedInto: null,
        });
        await r.customers.insertIdentity({
          id: newId(now),
          customerId,
          channel: 'webchat',
          channelUserId: customer.sessionId,
          displayName: null,
          username: null,
          createdAt: now,
        });
      });
      await customer.say('Where is my parcel?');
      const id = await conversationOf(customer);
      expect((await detail(id)).conversation.priority).toBe('high');

      const standard = await WebchatCustomer.open(app.url);
      await standard.say('Where is my parcel?');
      expect((await detail(await conversationOf(standard))).conversation.priority).toBe('normal');
    });

    it('agents set the priority: validated, audited, with an event', async () => {
      const events = streamOf(bob);
      const customer = await WebchatCustomer.open(app.url);
      await customer.say('hello there');
      const id = await conversationOf(customer);
      expect((await api(app, bob.token, 'PATCH', `/api/conversations/${id}`, { priority: 'extreme' })).status).toBe(400);
      expect((await api(app, bob.token, 'PATCH', `/api/conversations/no-such`, { priority: 'low' })).status).toBe(404);
      const res = await api(app, bob.token, 'PATCH', `/api/conversations/${id}`, { priority: 'low' });
      expect(res.status).toBe(200);
      expect(res.body.conversation.priority).toBe('low');
      const event = await eventually(
        async () => events.events.find((e) => e.event === 'priority' && e.data.conversationId === id),
        10_000,
        'event',
      );
      expect(event.data).toMatchObject({ priority: 'low', from: 'normal', by: bob.id });
      const audit = await api(app, admin.token, 'GET', `/api/audit?actorId=${bob.id}`);
      expect(
        audit.body.items.some((a: { action: string; subjectId: string }) => a.action === 'conversation.priority' && a.subjectId === id),
      ).toBe(true);
      // Held by another agent: not this agent's to change.
      await api(app, alice.token, 'POST', `/api/conversations/${id}/resolve`);
      await customer.say('human');
      await eventually(async () => (await detail(id)).conversation.status === 'queued' || undefined, 10_000, 'queued');
      expect((await api(app, alice.token, 'POST', `/api/conversations/${id}/claim`)).status).toBe(200);
      expect((await api(app, dave.token, 'PATCH', `/api/conversations/${id}`, { priority: 'high' })).status).toBe(403);
      expect((await api(app, admin.token, 'PATCH', `/api/conversations/${id}`, { priority: 'high' })).status).toBe(200);
    });

    it('labels: add (normalised, CJK allowed), remove, filter with keyset pages', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) {
        const c = await WebchatCustomer.open(app.url);
        await c.say(`order question ${i}`);
        ids.push(await conversationOf(c));
      }
      const added = await api(app, alice.token, 'POST', `/api/conversations/${ids[0]}/labels`, { label: '  Billing  Issue ' });
      expect(added.status).toBe(200);
      expect(added.body.conversation.labels).toEqual(['billing issue']);
      for (const id of ids)
        expect((await api(app, alice.token, 'POST', `/api/conversations/${id}/labels`, { label: '退款' })).status).toBe(200);
      // Adding again changes nothing.
      expect(
        (await api(app, alice.token, 'POST', `/api/conversations/${ids[0]}/labels`, { label: '退款' })).body.conversation.labels,
      ).toEqual(['billing issue', '退款']);
      for (const label of ['', '   ', 'x'.repeat(51), '<script>'])
        expect((await api(app, alice.token, 'POST', `/api/conversations/${ids[0]}/labels`, { label })).status).toBe(400);

      expect(await listIds(`?label=${encodeURIComponent('Billing Issue')}`)).toEqual([ids[0]]);
      const first = await api(app, alice.token, 'GET', `/api/conversations?label=${encodeURIComponent('退款')}&limit=2`);
      expect(first.body.items).toHaveLength(2);
      expect(first.body.nextCursor).toBeTruthy();
      const second = await api(
        app,
        alice.token,
        'GET',
        `/api/conversations?label=${encodeURIComponent('退款')}&limit=2&cursor=${first.body.nextCursor}`,
      );
      expect([...first.body.items, ...second.body.items].map((i: { id: string }) => i.id).sort()).toEqual([...ids].sort());
      expect(second.body.nextCursor).toBeNull();
      expect(first.body.items[0].labels).toContain('退款');

      const removed = await api(app, alice.token, 'DELETE', `/api/conversations/${ids[0]}/labels/${encodeURIComponent('退款')}`);
      expect(removed.status).toBe(200);
      expect(removed.body.conversation.labels).toEqual(['billing issue']);
      expect((await api(app, alice.token, 'DELETE', `/api/conversations/${ids[0]}/labels/${encodeURIComponent('退款')}`)).status).toBe(404);
      expect((await listIds(`?label=${encodeURIComponent('退款')}`)).sort()).toEqual([ids[1], ids[2]].sort());
    });

    it('snooze: out of the lists, back when its time comes (an event) or when the customer writes; unsnooze by hand', async () => {
      const events = streamOf(alice);
      const customer = await WebchatCustomer.open(app.url);
      await customer.say('a question for later');
      const id = await conversationOf(customer);
      const at = (ms: number) => new Date(Date.now() + ms).toISOString();
      expect((await api(app, alice.token, 'POST', `/api/conversations/${id}/snooze`, { until: at(-1000) })).status).toBe(400);
      expect((await api(app, alice.token, 'POST', `/api/conversations/${id}/snooze`, { until: at(91 * 86_400_000) })).status).toBe(400);
      expect((await api(app, alice.token, 'POST', `/api/conversations/${id}/snooze`, { until: 'tomorrow' })).status).toBe(400);

      const snoozed = await api(app, alice.token, 'POST', `/api/conversations/${id}/snooze`, { until: at(1500) });
      expect(snoozed.status).toBe(200);
      expect(snoozed.body.conversation.snoozedUntil).not.toBeNull();
      expect(await listIds('?limit=200')).not.toContain(id);
      expect(await listIds('?snoozed=true')).toContain(id);
      const woke = await eventually(
        async () => events.events.find((e) => e.event === 'snooze' && e.data.conversationId === id && e.data.action === 'wake'),
        10_000,
        'wake event',
      );
      expect(woke.data.by).toBe('system');
      expect(await listIds('?limit=200')).toContain(id);
      expect(await listIds('?snoozed=true')).not.toContain(id);

      // The customer writes while it is snoozed for a day: it is back at once.
      await api(app, alice.token, 'POST', `/api/conversations/${id}/snooze`, { until: at(86_400_000) });
      expect(await listIds('?limit=200')).not.toContain(id);
      await customer.say('any news?');
      await eventually(async () => (await listIds('?limit=200')).includes(id) || undefined, 10_000, 'back in the list');
      expect(events.events.some((e) => e.event === 'snooze' && e.data.conversationId === id && e.data.by === 'customer')).toBe(true);

      await api(app, alice.token, 'POST', `/api/conversations/${id}/snooze`, { until: at(86_400_000) });
      const back = await api(app, alice.token, 'DELETE', `/api/conversations/${id}/snooze`);
      expect(back.status).toBe(200);
      expect(back.body.conversation.snoozedUntil).toBeNull();
      expect((await api(app, alice.token, 'DELETE', `/api/conversations/${id}/snooze`)).status).toBe(409);
    });

    it('participants see the conversation’s events and may reply; a mention reaches the named agent only', async () => {
      const customer = await WebchatCustomer.open(app.url);
      await customer.say('human');
      const id = await conversationOf(customer);
      await eventually(async () => (await detail(id)).conversation.status === 'queued' || undefined, 10_000, 'queued');
      expect((await api(app, alice.token, 'POST', `/api/conversations/${id}/claim`)).status).toBe(200);

      const carolEvents = streamOf(carol);
      const daveEvents = streamOf(dave);
      const bobEvents = streamOf(bob);
      const adminEvents = streamOf(admin);
      expect((await api(app, carol.token, 'POST', `/api/conversations/${id}/messages`, { text: 'hi' })).status).toBe(403);
      expect((await api(app, dave.token, 'POST', `/api/conversations/${id}/participants`, { agentId: carol.id })).status).toBe(403);
      expect((await api(app, alice.token, 'POST', `/api/conversations/${id}/participants`, { agentId: 'nobody' })).status).toBe(400);
      expect((await api(app, alice.token, 'POST', `/api/conversations/${id}/participants`, { teamId: 'no-such-team' })).status).toBe(404);
      const invited = await api(app, alice.token, 'POST', `/api/conversations/${id}/participants`, { agentId: carol.id });
      expect(invited.status).toBe(200);
      expect(invited.body.conversation.participantIds).toEqual([carol.id]);

      await customer.say('are you there?');
      const seen = await eventually(
        async () => carolEvents.events.find((e) => e.event === 'message' && e.data.conversationId === id && e.data.direction === 'in'),
        10_000,
        'participant sees the customer message',
      );
      expect(seen).toBeTruthy();
      const reply = await api(app, carol.token, 'POST', `/api/conversations/${id}/messages`, { text: 'Carol here, helping Alice.' });
      expect(reply.status).toBe(201);
      expect((await api(app, carol.token, 'POST', `/api/conversations/${id}/notes`, { text: 'looked at it' })).status).toBe(201);

      // Alice mentions Bob in a note: Bob's stream gets the mention, nobody else's; Bob is invited.
      const note = await api(app, alice.token, 'POST', `/api/conversations/${id}/notes`, { text: '@Bob can you check the refund?' });
      expect(note.status).toBe(201);
      const mention = await eventually(async () => bobEvents.events.find((e) => e.event === 'mention'), 10_000, 'mention');
      expect(mention.data).toMatchObject({ conversationId: id, messageId: note.body.note.id, agentId: bob.id, by: alice.id });
      // A later event of the conversation (the customer writing) reaches everyone who may see it; by then the mention was fanned out too.
      await customer.say('thanks');
      for (const s of [carolEvents, adminEvents])
        await eventually(
          async () => s.events.filter((e) => e.event === 'message' && e.data.conversationId === id).length >= 3 || undefined,
          10_000,
          'later',
        );
      // Bob, invited by the mention, sees the conversation's later events too.
      await eventually(
        async () =>
          bobEvents.events.some((e) => e.event === 'message' && e.data.conversationId === id && Number(e.id) > Number(mention.id)) ||
          undefined,
        10_000,
        'Bob sees it',
      );
      for (const s of [carolEvents, daveEvents, adminEvents]) expect(s.events.filter((e) => e.event === 'mention')).toEqual([]);
      expect(daveEvents.events.filter((e) => e.data.conversationId === id && e.event === 'message')).toEqual([]);

      // Taken out again: Carol is told, then sees no more of it.
      const out = await api(app, alice.token, 'DELETE', `/api/conversations/${id}/participants/${carol.id}`);
      expect(out.status).toBe(200);
      expect(out.body.conversation.participantIds).toEqual([bob.id]);
      await eventually(
        async () => carolEvents.events.find((e) => e.event === 'participant' && e.data.action === 'remove'),
        10_000,
        'removed',
      );
      expect((await api(app, carol.token, 'POST', `/api/conversations/${id}/messages`, { text: 'still here?' })).status).toBe(403);
      expect((await api(app, alice.token, 'DELETE', `/api/conversations/${id}/participants/${carol.id}`)).status).toBe(404);
    });

    it('inviting a team invites its current members, each told by a participant event, audited once', async () => {
      const team = await api(app, admin.token, 'POST', '/api/teams', { name: 'Billing' });
      expect(team.status).toBe(201);
      for (const a of [carol, dave])
        expect((await api(app, admin.token, 'PUT', `/api/agents/${a.id}`, { teams: ['Billing'] })).status).toBe(200);
      const customer = await WebchatCustomer.open(app.url);
      await customer.say('human');
      const id = await conversationOf(customer);
      await eventually(async () => (await detail(id)).conversation.status === 'queued' || undefined, 10_000, 'queued');
      expect((await api(app, bob.token, 'POST', `/api/conversations/${id}/claim`)).status).toBe(200);
      const carolEvents = streamOf(carol);
      const daveEvents = streamOf(dave);

      expect((await api(app, bob.token, 'POST', `/api/conversations/${id}/participants`, { teamId: 'shipping' })).status).toBe(404);
      expect((await api(app, carol.token, 'POST', `/api/conversations/${id}/participants`, { teamId: 'billing' })).status).toBe(403);
      // By name, case-insensitive, like a routing rule's team.
      const invited = await api(app, bob.token, 'POST', `/api/conversations/${id}/participants`, { teamId: 'BILLING' });
      expect(invited.status).toBe(200);
      expect([...invited.body.conversation.participantIds].sort()).toEqual([carol.id, dave.id].sort());
      // Again: nobody new, nothing written.
      const again = await api(app, bob.token, 'POST', `/api/conversations/${id}/participants`, { teamId: 'billing' });
      expect(again.body.conversation.participantIds).toHaveLength(2);

      for (const s of [carolEvents, daveEvents])
        await eventually(
          async () => s.events.find((e) => e.event === 'participant' && e.data.conversationId === id && e.data.action === 'add'),
          10_000,
          'participant event',
        );
      await customer.say('is billing there?');
      for (const s of [carolEvents, daveEvents])
        await eventually(
          async () => s.events.find((e) => e.event === 'message' && e.data.conversationId === id && e.data.direction === 'in'),
          10_000,
          'team member sees the customer message',
        );
      expect((await api(app, dave.token, 'POST', `/api/conversations/${id}/notes`, { text: 'billing looked' })).status).toBe(201);
      const events = await app.store.read((r) => r.events.after(0, { conversationId: id, limit: 1000 }));
      const adds = events.filter((e) => e.conversationId === id && e.type === 'participant');
      expect(adds).toHaveLength(2);
      const audit = await api(app, admin.token, 'GET', `/api/audit?actorId=${bob.id}`);
      const entries = audit.body.items.filter(
        (a: { action: string; subjectId: string }) => a.action === 'conversation.participant_add' && a.subjectId === id,
      );
      expect(entries).toHaveLength(1);
      expect(entries[0].detail).toMatchObject({ teamId: 'billing' });
      expect([...entries[0].detail.agentIds].sort()).toEqual([carol.id, dave.id].sort());
    });

    it('canned responses: CRUD by owner or admin, prefix search, render with placeholders', async () => {
      const created = await api(app, bob.token, 'POST', '/api/canned', {
        shortcut: 'Greet',
        text: 'Hi {{customer.name}}, this is {{agent.name}} ({{conversation.id}}). {{order.number}}',
      });
      expect(created.status).toBe(201);
      expect(created.body.canned).toMatchObject({ shortcut: 'greet', locale: null, teamId: null, ownerId: bob.id });
      const id = created.body.canned.id as string;
      expect((await api(app, bob.token, 'POST', '/api/canned', { shortcut: 'greet', text: 'again' })).status).toBe(409);
      const zh = await api(app, alice.token, 'POST', '/api/canned', {
        shortcut: 'greet',
        text: '{{customer.name}}您好，我是{{agent.name}}',
        locale: 'zh',
      });
      expect(zh.status).toBe(201);
      // A team's response: the team named by id or name (the Billing team of the test above: Carol and Dave).
      const refund = await api(app, alice.token, 'POST', '/api/canned', {
        shortcut: 'refund',
        text: 'Refunds take 5 days.',
        teamId: 'Billing',
      });
      expect(refund.status).toBe(201);
      expect(refund.body.canned.teamId).toBe('billing');
      const noTeam = await api(app, alice.token, 'POST', '/api/canned', { shortcut: 'ship', text: 'x', teamId: 'shipping' });
      expect(noTeam.status).toBe(400);
      expect(noTeam.body.error.message).toMatch(/teamId/);
      expect((await api(app, alice.token, 'PUT', `/api/canned/${refund.body.canned.id}`, { teamId: 'shipping' })).status).toBe(400);
      const listed = async (token: string, query: string) => {
        const res = await api(app, token, 'GET', `/api/canned${query}`);
        expect(res.status).toBe(200);
        return (res.body.items as { shortcut: string }[]).map((i) => i.shortcut);
      };
      // By default: the global ones and those of your teams.
      expect(await listed(dave.token, '')).toEqual(['greet', 'greet', 'refund']);
      expect(await listed(bob.token, '')).toEqual(['greet', 'greet']);
      expect(await listed(bob.token, '?teamId=billing')).toEqual(['refund']);
      expect(await listed(bob.token, '?teamId=BILLING&q=ref')).toEqual(['refund']);
      expect(await listed(dave.token, '?teamId=')).toEqual(['greet', 'greet']);
      expect((await api(app, bob.token, 'GET', '/api/canned?teamId=shipping')).status).toBe(400);
      for (const bad of [
        { shortcut: '', text: 'x' },
        { shortcut: 'two words', text: 'x' },
        { shortcut: 'ok', text: '' },
        { shortcut: 'ok', text: 'x', locale: 'fr' },
        { shortcut: 'ok' },
      ])
        expect((await api(app, bob.token, 'POST', '/api/canned', bad)).status).toBe(400);

      const search = await api(app, dave.token, 'GET', '/api/canned?q=GR');
      expect(search.body.items.map((c: { id: string }) => c.id).sort()).toEqual([id, zh.body.canned.id].sort());
      const page = await api(app, dave.token, 'GET', '/api/canned?limit=1');
      expect(page.body.items).toHaveLength(1);
      expect(page.body.nextCursor).toBeTruthy();
      expect((await api(app, dave.token, 'GET', '/api/canned?q=zzz')).body.items).toEqual([]);

      // Only the owner or an admin changes it.
      expect((await api(app, dave.token, 'PUT', `/api/canned/${id}`, { text: 'mine now' })).status).toBe(403);
      expect((await api(app, dave.token, 'DELETE', `/api/canned/${id}`)).status).toBe(403);
      const edited = await api(app, bob.token, 'PUT', `/api/canned/${id}`, {
        text: 'Hello {{customer.name}}, {{agent.name}} here, about {{conversation.id}}. {{order.number}}',
      });
      expect(edited.status).toBe(200);
      expect(edited.body.canned.shortcut).toBe('greet');

      // Render: a customer with a name, and one without.
      const customer = await WebchatCustomer.open(app.url);
      const now = Date.now();
      const customerId = newId(now);
      await app.store.tx(async (r) => {
        await r.customers.insert({
          id: customerId,
          displayName: 'Ada',
          email: null,
          locale: 'en',
          createdAt: now,
          erasedAt: null,
          tier: 'standard',
          notes: null,
          mergedInto: null,
        });
        await r.customers.insertIdentity({
          id: newId(now),
          customerId,
          channel: 'webchat',
          channelUserId: customer.sessionId,
          displayName: 'Ada',
          username: null,
          createdAt: now,
        });
      });
      await customer.say('hello');
      const convId = await conversationOf(customer);
      const rendered = await api(app, dave.token, 'POST', `/api/canned/${id}/render`, { conversationId: convId });
      expect(rendered.status).toBe(200);
      expect(rendered.body.text).toBe(`Hello Ada, Dave here, about ${convId}. {{order.number}}`);
      const anonymous = await WebchatCustomer.open(app.url);
      await anonymous.say('你好');
      const anonId = await conversationOf(anonymous);
      const zhRendered = await api(app, dave.token, 'POST', `/api/canned/${zh.body.canned.id}/render`, { conversationId: anonId });
      expect(zhRendered.body.text).toBe('客户您好，我是Dave');
      expect((await api(app, dave.token, 'POST', `/api/canned/${id}/render`, { conversationId: 'nope' })).status).toBe(404);
      expect((await api(app, dave.token, 'POST', `/api/canned/nope/render`, { conversationId: convId })).status).toBe(404);

      expect((await api(app, admin.token, 'DELETE', `/api/canned/${zh.body.canned.id}`)).status).toBe(204);
      expect((await api(app, bob.token, 'DELETE', `/api/canned/${id}`)).status).toBe(204);
      expect((await api(app, bob.token, 'GET', `/api/canned/${id}`)).status).toBe(404);
      const audit = await api(app, admin.token, 'GET', `/api/audit?actorId=${bob.id}`);
      expect(audit.body.items.map((a: { action: string }) => a.action)).toEqual(
        expect.arrayContaining(['canned.create', 'canned.update', 'canned.delete']),
      );
    });

    it('every new route needs a token', async () => {
      for (const [method, path] of [
        ['GET', '/api/canned'],
        ['PATCH', '/api/conversations/x'],
        ['POST', '/api/conversations/x/labels'],
        ['POST', '/api/conversations/x/snooze'],
        ['POST', '/api/conversations/x/participants'],
      ] as const)
        expect((await fetch(app.url + path, { method })).status).toBe(401);
    });
  });
}

conversationToolsSuite('SQLite');
if (TEST_DATABASE_URL) conversationToolsSuite('PostgreSQL');
