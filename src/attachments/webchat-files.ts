import type { Clock } from '../domain/clock.js';
import { NotFoundError } from '../domain/errors.js';
import type { Store } from '../store/store.js';
import type { FileStore } from './file-store.js';
import type { AttachmentPolicy } from './policy.js';
import { fileResponse } from './serve.js';
import { storeUpload } from './upload.js';
import type { WebchatFiles } from '../domain/webchat.js';

export type { WebchatFiles } from '../domain/webchat.js';

export function webchatFiles(d: { store: Store; files: FileStore; policy: AttachmentPolicy; clock: Clock }): WebchatFiles {
  const owner = (sessionId: string) => `webchat:${sessionId}`;
  return {
    limits: { maxBytes: d.policy.maxBytes, perMessage: d.policy.perMessage },
    async upload(req, sessionId) {
      const identity = await d.store.read((r) => r.customers.findIdentity('webchat', sessionId));
      return storeUpload({ ...d, now: () => d.clock.now().getTime() }, req, {
        owner: owner(sessionId),
        customerId: identity?.customerId ?? null,
        daily: true,
      });
    },
    async serve(sessionId, attachmentId, thumbnail) {
      const row = await d.store.read(async (r) => {
        const a = await r.attachments.get(attachmentId);
        if (!a) return undefined;
        if (!a.messageId) return a.owner === owner(sessionId) ? a : undefined;
        const m = await r.messages.get(a.messageId);
        if (!m || m.direction === 'internal') return undefined;
        const c = await r.conversations.get(m.conversationId);
        return c && c.channel === 'webchat' && c.threadKey === sessionId ? a : undefined;
      });
      if (!row) throw new NotFoundError(`attachment ${attachmentId} not found`);
      return fileResponse(d.files, row, { thumbnail });
    },
  };
}
