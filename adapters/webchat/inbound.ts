import type { InboundMessage } from '../../src/domain/channel.js';
import { PayloadTooLargeError, ValidationError } from '../../src/domain/errors.js';
import { checkText } from '../../src/kit/clean-text.js';

export const MAX_TEXT_BYTES = 16 * 1024;
/** Room for the largest text escaped as JSON plus the other fields. */
export const MAX_BODY_BYTES = MAX_TEXT_BYTES * 4 + 1024;
const MAX_CLIENT_ID = 200;
const MAX_CHOICE_ID = 64;
const MAX_NAME = 100;
export const MAX_EMAIL = 254;
/** Enough to catch a typo; whether the address is really theirs is not known (see the README, pre-chat form). */
export const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * The widget's `{ text, clientMessageId }`, or a pick `{ choiceId, text?, clientMessageId }`
 * (text: the choice's label), as a normalized message; throws naming the bad field.
 */
export function toInbound(sessionId: string, body: Record<string, unknown>, req: Request, receivedAt: Date): InboundMessage {
  const { clientMessageId, choiceId } = body;
  if (choiceId !== undefined && (typeof choiceId !== 'string' || !choiceId || choiceId.length > MAX_CHOICE_ID)) {
    throw new ValidationError(`choiceId: must be a non-empty string of at most ${MAX_CHOICE_ID} characters`, 'choiceId');
  }
  const text = body.text ?? choiceId;
  if (typeof text !== 'string') throw new ValidationError('text: must be a string', 'text');
  const checked = checkText(text);
  if (!checked.ok) throw new ValidationError(`text: ${checked.reason}`, 'text');
  const trimmed = checked.text;
  if (Buffer.byteLength(trimmed) > MAX_TEXT_BYTES) throw new PayloadTooLargeError(`text: longer than ${MAX_TEXT_BYTES} bytes`);
  if (typeof clientMessageId !== 'string' || !clientMessageId || clientMessageId.length > MAX_CLIENT_ID) {
    throw new ValidationError(`clientMessageId: must be a non-empty string of at most ${MAX_CLIENT_ID} characters`, 'clientMessageId');
  }
  const contact = prechat(body);
  return {
    channel: 'webchat',
    // Namespaced by session so one widget's ids can never collide with another's.
    externalMessageId: `${sessionId}:${clientMessageId}`,
    threadKey: sessionId,
    sender: { channelUserId: sessionId, locale: preferredLocale(req), ...contact },
    text: trimmed,
    attachments: [],
    receivedAt,
    ...(choiceId === undefined ? {} : { choiceId }),
  };
}

/** The pre-chat form's `name` and `email`, sent with the messages; they name a new customer (or link an email one). */
function prechat(body: Record<string, unknown>): { displayName?: string; email?: string } {
  const { name, email } = body;
  if (name !== undefined && (typeof name !== 'string' || name.trim().length > MAX_NAME))
    throw new ValidationError(`name: must be a string of at most ${MAX_NAME} characters`, 'name');
  if (email !== undefined && (typeof email !== 'string' || email.length > MAX_EMAIL || !EMAIL.test(email.trim())))
    throw new ValidationError('email: must be an email address like name@example.com', 'email');
  const n = typeof name === 'string' ? checkText(name) : undefined;
  return {
    ...(n?.ok && n.text ? { displayName: n.text } : {}),
    ...(typeof email === 'string' ? { email: email.trim() } : {}),
  };
}

function preferredLocale(req: Request): string | undefined {
  const tag = req.headers.get('accept-language')?.split(',')[0]?.split(';')[0]?.trim();
  return tag && /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(tag) ? tag : undefined;
}
