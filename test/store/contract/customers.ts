import { describe, expect, it } from 'vitest';
import type { Store } from '../../../src/store/store.js';
import type { IdentityRow } from '../../../src/store/ports.js';
import { fixtures, uid } from './fixtures.js';

export function customersContract(current: () => Store) {
  const f = fixtures(current);

  describe('customers', () => {
    it('reads a customer back by id and several by ids', async () => {
      const a = await f.customer({ displayName: 'Ada', email: 'ada@example.com', locale: 'zh', createdAt: 5 });
      const b = await f.customer({ displayName: null, locale: null });
      expect(await f.tx((r) => r.customers.get(a.id))).toEqual(a);
      expect(await f.tx((r) => r.customers.get('no-such-customer'))).toBeUndefined();
      const found = await f.tx((r) => r.customers.byIds([a.id, b.id, 'no-such-customer']));
      expect([...found.keys()].sort()).toEqual([a.id, b.id].sort());
      expect(found.get(b.id)).toEqual(b);
      expect((await f.tx((r) => r.customers.byIds([]))).size).toBe(0);
    });

    it('reads the list columns of several customers by ids', async () => {
      const a = await f.customer({ displayName: 'Ada', email: 'ada@example.com', locale: 'zh', notes: 'prefers email' });
      const b = await f.customer({ displayName: null, email: null, locale: null });
      const cards = await f.tx((r) => r.customers.cardsOf([a.id, b.id, a.id, 'no-such-customer']));
      expect([...cards.keys()].sort()).toEqual([a.id, b.id].sort());
      expect(cards.get(a.id)).toEqual({ id: a.id, displayName: 'Ada', email: 'ada@example.com', locale: 'zh' });
      expect(cards.get(b.id)).toEqual({ id: b.id, displayName: null, email: null, locale: null });
      expect((await f.tx((r) => r.customers.cardsOf([]))).size).toBe(0);
      // Longer than the longest padded list: the query is built for it.
      const many = await Promise.all(Array.from({ length: 3 }, () => f.customer({ displayName: 'Many' })));
      const ids = [...many.map((m) => m.id), ...Array.from({ length: 600 }, (_, i) => `absent-${i}`)];
      expect([...(await f.tx((r) => r.customers.cardsOf(ids))).keys()].sort()).toEqual(many.map((m) => m.id).sort());
    });

    it('finds an identity by channel and channel user, and lists a customer’s identities', async () => {
      const c = await f.customer();
      const user = uid('user');
      const tg: IdentityRow = {
        id: uid('idn'),
        customerId: c.id,
        channel: 'telegram',
        channelUserId: user,
        displayName: 'Ada L',
        username: 'ada',
        createdAt: 7,
      };
      const mail: IdentityRow = {
        id: uid('idn'),
        customerId: c.id,
        channel: 'email',
        channelUserId: user,
        displayName: null,
        username: null,
        createdAt: 8,
      };
      await f.tx(async (r) => {
        await r.customers.insertIdentity(tg);
        await r.customers.insertIdentity(mail);
      });
      expect(await f.tx((r) => r.customers.findIdentity('telegram', user))).toEqual(tg);
      expect(await f.tx((r) => r.customers.findIdentity('discord', user))).toBeUndefined();
      const all = await f.tx((r) => r.customers.identitiesOf(c.id));
      expect(all.sort((x, y) => x.id.localeCompare(y.id))).toEqual([tg, mail]);
      expect(await f.tx((r) => r.customers.identitiesOf('no-such-customer'))).toEqual([]);
    });

    it('lists the identities of several customers, by customer', async () => {
      const a = await f.customer();
      const b = await f.customer();
      const none = await f.customer();
      const identity = (customerId: string, channel: string, createdAt: number): IdentityRow => ({
        id: uid('idn'),
        customerId,
        channel,
        channelUserId: uid('user'),
        displayName: channel === 'telegram' ? 'Ada L' : null,
        username: null,
        createdAt,
      });
      const rows = [identity(a.id, 'telegram', 1), identity(a.id, 'email', 2), identity(b.id, 'webchat', 3)];
      await f.tx(async (r) => {
        for (const row of rows) await r.customers.insertIdentity(row);
      });
      const found = await f.tx((r) => r.customers.identitiesOfMany([a.id, b.id, none.id, 'no-such-customer']));
      expect([...found.keys()].sort()).toEqual([a.id, b.id].sort());
      expect(found.get(a.id)!.sort((x, y) => x.createdAt - y.createdAt)).toEqual([rows[0], rows[1]]);
      expect(found.get(b.id)).toEqual([rows[2]]);
      expect((await f.tx((r) => r.customers.identitiesOfMany([]))).size).toBe(0);
    });

    it('refuses a second identity for the same channel user', async () => {
      const c = await f.customer();
      const user = uid('user');
      const row = (id: string): IdentityRow => ({
        id,
        customerId: c.id,
        channel: 'discord',
        channelUserId: user,
        displayName: null,
        username: null,
        createdAt: 1,
      });
      await f.tx((r) => r.customers.insertIdentity(row(uid('idn'))));
      await expect(f.tx((r) => r.customers.insertIdentity(row(uid('idn'))))).rejects.toThrow();
      expect(await f.tx((r) => r.customers.identitiesOf(c.id))).toHaveLength(1);
    });
  });
}
