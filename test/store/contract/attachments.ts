import { describe, expect, it } from 'vitest';
import type { Store } from '../../../src/store/store.js';
import type { AttachmentRow } from '../../../src/store/ports.js';
import { fixtures, uid } from './fixtures.js';

export function attachmentsContract(current: () => Store) {
  const tx: Store['tx'] = (fn) => current().tx(fn);
  const f = fixtures(current);
  const row = (patch: Partial<AttachmentRow> = {}): AttachmentRow => ({
    id: uid('att'),
    messageId: null,
    customerId: null,
    owner: null,
    sha256: uid('sha'),
    size: 1000,
    mime: 'image/png',
    name: 'photo.png',
    inline: 0,
    createdAt: 5_000,
    ...patch,
  });

  describe('attachments', () => {
    it('links uploads once, sums a day’s bytes per customer and owner, and deletes by message, conversation and customer', async () => {
      const c = await f.conversation();
      const messageId = uid('msg');
      await tx((r) =>
        r.messages.insert({
          id: messageId,
          conversationId: c.id,
          channel: 'webchat',
          externalId: uid('ext'),
          direction: 'in',
          author: 'customer',
          agentId: null,
          text: '',
          meta: null,
          createdAt: 5_000,
        }),
      );
      const owner = uid('webchat');
      const upload = row({ owner, size: 3_000_000_000 });
      const shared = row({ customerId: c.customerId, messageId, size: 200 });
      const twin = row({ sha256: shared.sha256, customerId: uid('other'), createdAt: 100 });
      for (const a of [upload, shared, twin]) await tx((r) => r.attachments.insert(a));
      expect(await tx((r) => r.attachments.get(upload.id))).toEqual(upload);
      expect(await tx((r) => r.attachments.bytesSince({ owner }, 4_000))).toBe(3_000_000_000);
      expect(await tx((r) => r.attachments.bytesSince({ owner }, 6_000))).toBe(0);

      expect(await tx((r) => r.attachments.link([upload.id], messageId, c.customerId))).toBe(1);
      expect(await tx((r) => r.attachments.link([upload.id], uid('msg'), null))).toBe(0);
      expect(await tx((r) => r.attachments.bytesSince({ customerId: c.customerId }, 4_000))).toBe(3_000_000_200);
      expect((await tx((r) => r.attachments.ofMessages([messageId]))).map((a) => a.id).sort()).toEqual([upload.id, shared.id].sort());
      expect((await tx((r) => r.attachments.byIds([twin.id, 'nope']))).map((a) => a.id)).toEqual([twin.id]);

      expect((await tx((r) => r.attachments.deleteOfConversation(c.id))).sort()).toEqual([upload.sha256, shared.sha256].sort());
      expect(await tx((r) => r.attachments.ofMessages([messageId]))).toEqual([]);
      // The twin names the same bytes: they are still referenced.
      expect(await tx((r) => r.attachments.referenced(shared.sha256))).toBe(true);
      expect(await tx((r) => r.attachments.referenced(upload.sha256))).toBe(false);
      expect(await tx((r) => r.attachments.deleteUnlinkedBefore(200, 10))).toEqual([twin.sha256]);
      expect(await tx((r) => r.attachments.referenced(shared.sha256))).toBe(false);

      const mine = row({ customerId: c.customerId });
      await tx((r) => r.attachments.insert(mine));
      expect(await tx((r) => r.attachments.deleteOfCustomer(c.customerId))).toEqual([mine.sha256]);
      expect(await tx((r) => r.attachments.get(mine.id))).toBeUndefined();
    });
  });
}
