import { decodeLogged } from '../domain/events.js';
import type { Store } from '../store/store.js';
import type { FileStore } from '../attachments/file-store.js';

/** Messages blanked per transaction: small enough that no other request waits long on SQLite's one writer. */
export const REDACT_BATCH = 200;

export interface RedactOptions {
  /** Erasure also drops what links the conversation to the person (thread key, platform message ids). */
  erase: boolean;
  /** Who did it, for the FAQ suggestions it rejects. */
  by: string;
  now: number;
  /** The file store: the conversation's files are deleted with it (bytes another row still names are kept). */
  files?: FileStore;
}

/**
 * Blanks the bodies of one conversation: message text and meta (attachment references, raw
 * headers), drafts, outbox payloads, FAQ suggestion text and the customer text in its events.
 * What reports count stays: the rows, their timestamps, status, CSAT score, event types.
 * It runs in small transactions, and the last one, holding the conversation's row lock, sweeps
 * what arrived meanwhile and marks the conversation redacted, so a crash halfway only means
 * running it again. Returns the number of messages blanked.
 */
export async function redactConversation(store: Store, id: string, o: RedactOptions): Promise<number> {
  let blanked = 0;
  for (;;) {
    const n = await store.tx((r) => r.messages.redact(id, { externalIds: o.erase, limit: REDACT_BATCH }));
    blanked += n;
    if (n < REDACT_BATCH) break;
    await yieldToOthers();
  }
  let seq = 0;
  for (;;) {
    const rows = await store.tx((r) => r.events.after(seq, { conversationId: id, limit: 500 }));
    if (rows.length === 0) break;
    seq = rows.at(-1)!.seq;
    const picked = rows.map(decodeLogged).filter((e) => e.type === 'faq_picked' && e.data.question !== '');
    if (picked.length) {
      await store.tx(async (r) => {
        for (const e of picked)
          if (e.type === 'faq_picked') await r.events.replaceData(e.seq, { type: e.type, data: { ...e.data, question: '' } });
      });
    }
  }
  const dropped: string[] = [];
  const result = await store.tx(async (r) => {
    const c = await r.conversations.get(id, { lock: true });
    if (!c) return blanked;
    dropped.push(...(await r.attachments.deleteOfConversation(id)));
    let n: number;
    do blanked += n = await r.messages.redact(id, { externalIds: o.erase, limit: REDACT_BATCH });
    while (n === REDACT_BATCH);
    await r.drafts.redact(id);
    await r.outbox.redact(id, o.erase ? 'erased' : 'purged by retention');
    await r.faqSuggestions.redact(id, o.by, o.now);
    const threadKey = o.erase ? 'erased:' + id : c.threadKey;
    await r.conversations.update(id, { subject: null, redactedAt: o.now, threadKey });
    return blanked;
  });
  if (o.files) await dropBytes(store, o.files, dropped);
  return result;
}

/** Deletes the bytes of files no row names any more (rows are deleted first, in their transaction). */
export async function dropBytes(store: Store, files: FileStore, hashes: string[]): Promise<void> {
  for (const sha of hashes) if (!(await store.read((r) => r.attachments.referenced(sha)))) await files.delete(sha);
}

/** Lets requests queued behind the store run between two batches. */
export function yieldToOthers(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
