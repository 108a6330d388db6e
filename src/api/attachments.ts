import { Hono } from 'hono';
import { ForbiddenError, NotFoundError } from '../domain/errors.js';
import { maySeeConversation } from '../domain/visibility.js';
import type { Clock } from '../domain/clock.js';
import type { Store } from '../store/store.js';
import type { AttachmentRow, Repos } from '../store/ports.js';
import type { FileStore } from '../attachments/file-store.js';
import type { AttachmentPolicy } from '../attachments/policy.js';
import { fileResponse } from '../attachments/serve.js';
import { storeUpload } from '../attachments/upload.js';
import type { ApiEnv } from './auth.js';

export interface AttachmentsApi {
  files: FileStore;
  policy: AttachmentPolicy;
}

/**
 * Agents' files: `POST /` stores an upload (the body is the file, `?name=` its name) for a reply;
 * `GET /:id` and `GET /:id/thumbnail` serve a stored file to an agent who may see its
 * conversation (an unlinked upload: only whoever uploaded it, and admins).
 */
export function attachmentRoutes(d: { store: Store; clock: Clock } & AttachmentsApi) {
  const app = new Hono<ApiEnv>();
  app.post('/', async (c) => {
    const agent = c.get('agent');
    const view = await storeUpload({ ...d, now: () => d.clock.now().getTime() }, c.req.raw, { owner: `agent:${agent.id}`, daily: false });
    return c.json({ attachment: view }, 201);
  });
  const serve = (thumbnail: boolean) => async (c: import('hono').Context<ApiEnv>) => {
    const agent = c.get('agent');
    const row = await d.store.read((r) => visibleAttachment(r, c.req.param('id')!, agent));
    return fileResponse(d.files, row, { thumbnail });
  };
  app.get('/:id', serve(false));
  app.get('/:id/thumbnail', serve(true));
  return app;
}

async function visibleAttachment(r: Repos, id: string, agent: { id: string; role: 'agent' | 'admin' }): Promise<AttachmentRow> {
  const row = await r.attachments.get(id);
  if (!row) throw new NotFoundError(`attachment ${id} not found`);
  if (agent.role === 'admin') return row;
  if (!row.messageId) {
    if (row.owner === `agent:${agent.id}`) return row;
    throw new ForbiddenError('this upload belongs to another agent');
  }
  const message = await r.messages.get(row.messageId);
  const conversation = message ? await r.conversations.get(message.conversationId) : undefined;
  const participantIds = conversation ? ((await r.participants.of([conversation.id])).get(conversation.id) ?? []) : [];
  if (!conversation || !maySeeConversation(agent, { assigneeId: conversation.assigneeId, participantIds }))
    throw new ForbiddenError('you may not see this conversation');
  return row;
}
