import { ValidationError } from '../../src/domain/errors.js';
import type { VisitorReport } from '../../src/kit/visitors.js';

const MAX_URL = 2048;
const MAX_TITLE = 200;
/** widget.js's visitor ids: random, 16 to 64 URL-safe characters. */
export const VISITOR_ID = /^[A-Za-z0-9_-]{16,64}$/;

function str(body: Record<string, unknown>, key: string, max: number): string | undefined {
  const v = body[key];
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string') throw new ValidationError(`${key}: must be a string`, key);
  // A stranger's text, kept for agents to read: cut to size and stripped of control characters.
  // eslint-disable-next-line no-control-regex
  return v.replace(/[\u0000-\u001f\u007f]/g, '').slice(0, max);
}

/** Agents read ahead this much of a visitor's unsent text (WIDGET_DRAFT_PREVIEW). */
export const MAX_DRAFT_PREVIEW = 1000;

/** A visitor's draft as agents may see it: cut to size, control characters (newlines aside) dropped. */
export function draftPreview(text: string): string {
  // eslint-disable-next-line no-control-regex
  return [...text.replace(/[\u0000-\u0009\u000b-\u001f\u007f]/g, '')].slice(0, MAX_DRAFT_PREVIEW).join('');
}

/** widget.js's `{ visitorId, kind, url?, title?, referrer?, timeZone?, language? }`, checked. */
export function toVisitorReport(body: Record<string, unknown>): VisitorReport {
  const { visitorId, kind } = body;
  if (typeof visitorId !== 'string' || !VISITOR_ID.test(visitorId))
    throw new ValidationError('visitorId: must be 16 to 64 letters, digits, - or _', 'visitorId');
  if (kind !== 'view' && kind !== 'ping' && kind !== 'leave') throw new ValidationError('kind: must be view, ping or leave', 'kind');
  const url = str(body, 'url', MAX_URL);
  if (kind === 'view' && (!url || !/^https?:\/\//.test(url))) throw new ValidationError('url: must be the page’s http(s) URL', 'url');
  const referrer = str(body, 'referrer', MAX_URL);
  const pageId = str(body, 'pageId', 64);
  const visits =
    typeof body.visits === 'number' && Number.isInteger(body.visits) && body.visits > 0 ? Math.min(body.visits, 1e6) : undefined;
  return {
    visitorId,
    kind,
    ...(url ? { url } : {}),
    ...(pageId ? { pageId } : {}),
    ...(visits ? { visits } : {}),
    ...(str(body, 'title', MAX_TITLE) ? { title: str(body, 'title', MAX_TITLE) } : {}),
    ...(referrer && /^https?:\/\//.test(referrer) ? { referrer } : {}),
    ...(str(body, 'timeZone', 64) ? { timeZone: str(body, 'timeZone', 64) } : {}),
    ...(str(body, 'language', 35) ? { language: str(body, 'language', 35) } : {}),
  };
}
