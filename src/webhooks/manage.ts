import { z } from 'zod';
import { audit } from '../audit/record.js';
import { EVENT_TYPES } from '../domain/events.js';
import { isIP } from 'node:net';
import { ConflictError, NotFoundError, ValidationError } from '../domain/errors.js';
import { isPrivateAddress } from '../kit/private-address.js';
import { newId, newSecret } from '../domain/ids.js';
import type { Repos } from '../store/store.js';
import type { Webhook } from '../store/ports.js';

/** Webhooks one installation may have; each event is one row per webhook that receives it. */
export const MAX_WEBHOOKS = 50;
export const MAX_URL_LENGTH = 2048;
export const SECRET_PREFIX = 'whsec_';

/** Where a webhook POSTs: http(s), no credentials in the URL (sign requests instead), at most MAX_URL_LENGTH. */
export const webhookUrl = z
  .string()
  .trim()
  .max(MAX_URL_LENGTH, `must be at most ${MAX_URL_LENGTH} characters`)
  .pipe(z.url({ protocol: /^https?$/, message: 'must be an http:// or https:// URL' }))
  .refine((u) => {
    const url = new URL(u);
    return url.username === '' && url.password === '';
  }, 'must not contain a user name or password');

/** Event type names (src/domain/events.ts), or `"*"` for all; `"*"` alone stands for every type. */
export const webhookEvents = z
  .preprocess(
    (v) => (v === '*' ? ['*'] : v),
    z
      .array(z.enum(['*', ...EVENT_TYPES] as [string, ...string[]]), 'must be a list of event types or "*"')
      .min(1, 'must name at least one event type')
      .max(EVENT_TYPES.length + 1),
  )
  .transform((v) => (v.includes('*') ? ['*'] : [...new Set(v)].sort()));

export const createWebhookBody = z.object({ url: webhookUrl, events: webhookEvents }).strict();

/**
 * The early, clear refusal of a URL that names a private or loopback address outright (an IP
 * literal or localhost). Names that resolve inward are refused when delivering (the worker
 * checks the address it connects to), since DNS can change after this check.
 */
export function refusePrivateUrl(raw: string): void {
  const host = new URL(raw).hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost') || (isIP(host) && isPrivateAddress(host))) {
    throw new ValidationError(
      `must not point at a private or loopback address (${host}); set WEBHOOK_ALLOW_PRIVATE=true to allow it`,
      'url',
    );
  }
}

/** A webhook as the API shows it; the secret is added only where it is made (create, rotate). */
export function webhookView(w: Webhook) {
  return {
    id: w.id,
    url: w.url,
    events: w.events,
    createdBy: w.createdBy,
    createdAt: new Date(w.createdAt).toISOString(),
    secretRotatedAt: w.secretRotatedAt === null ? null : new Date(w.secretRotatedAt).toISOString(),
  };
}

/** The audit detail: the host, not the whole URL (a query string may hold a receiver's token). */
const where = (url: string) => new URL(url).host;

export async function createWebhook(
  r: Repos,
  o: { url: string; events: string[]; by: string; now: number },
): Promise<{ webhook: Webhook; secret: string }> {
  // Two admins creating at once on PostgreSQL must not both pass the cap.
  await r.lock('switchboard:webhooks');
  if ((await r.webhooks.count()) >= MAX_WEBHOOKS) throw new ConflictError(`at most ${MAX_WEBHOOKS} webhooks; delete one first`);
  const secret = `${SECRET_PREFIX}${newSecret()}`;
  const row = { id: newId(o.now), url: o.url, secret, createdBy: o.by, createdAt: o.now, secretRotatedAt: null };
  await r.webhooks.insert(row, o.events);
  await audit(r, { by: o.by, action: 'webhook.create', subjectId: row.id, detail: { host: where(o.url), events: o.events }, now: o.now });
  return { webhook: { ...row, events: o.events }, secret };
}

export async function rotateWebhookSecret(
  r: Repos,
  o: { id: string; by: string; now: number },
): Promise<{ webhook: Webhook; secret: string }> {
  const secret = `${SECRET_PREFIX}${newSecret()}`;
  if (!(await r.webhooks.setSecret(o.id, secret, o.now))) throw new NotFoundError(`webhook ${o.id} not found`);
  await audit(r, { by: o.by, action: 'webhook.rotate_secret', subjectId: o.id, now: o.now });
  return { webhook: (await r.webhooks.get(o.id))!, secret };
}

/** Deletes the webhook; its pending deliveries go with it, so nothing more is sent to it. */
export async function deleteWebhook(r: Repos, o: { id: string; by: string; now: number }): Promise<void> {
  const hook = await r.webhooks.get(o.id);
  if (!hook) throw new NotFoundError(`webhook ${o.id} not found`);
  await r.webhooks.delete(o.id);
  await audit(r, {
    by: o.by,
    action: 'webhook.delete',
    subjectId: o.id,
    detail: { host: where(hook.url), events: hook.events },
    now: o.now,
  });
}
