import type { Clock } from '../domain/clock.js';
import { NotFoundError } from '../domain/errors.js';
import type { Store } from '../store/store.js';
import type { FileStore } from './file-store.js';
import type { AttachmentPolicy } from './policy.js';
import { fileResponse } from './serve.js';
import { storeUpload, type UploadView } from './upload.js';

/** What the web chat adapter may do with files, on behalf of one authorised session. */
export interface WebchatFiles {
  readonly policy: AttachmentPolicy;
  /** Stores the request body as this session's upload, under the limits and the customer's daily allowance. */
  upload(req: Request, sessionId: string): Promise<UploadView>;
  /** Serves a file of this session's conversation (or its own upload); any other id is a 404, so ids reveal nothing. */
  serve(sessionId: string, attachmentId: string, thumbnail: boolean): Promise<Response>;
}

export function webchatFiles(d: { store: Store; files: FileStore; policy: AttachmentPolicy; clock: Clock }): WebchatFiles {
  const owner = (sessionId: string) => `webchat:${sessionId}`;
  return {
    policy: d.policy,
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
