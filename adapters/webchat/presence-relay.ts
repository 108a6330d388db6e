import type { InviteChange, Invites } from '../../src/kit/invites.js';
import type { VisitorChange, VisitorReport, Visitors } from '../../src/kit/visitors.js';
import { MAX_PAYLOAD_BYTES, type RelayedSignal } from '../../src/domain/relayed-signal.js';
import { toVisitorReport, VISITOR_ID } from './presence.js';

type VisitorsSignal = Extract<RelayedSignal, { to: 'visitors' }>;

/**
 * What a relayed signal's `data` may take, in bytes of JSON, so the whole notification (with the
 * sender's id, `to` and `event`, under 100 bytes) stays below what PostgreSQL refuses.
 */
const DATA_BYTES = MAX_PAYLOAD_BYTES - 200;
/** An invitation's text is at most 300 characters (POST /api/visitors/:id/invite). */
const MAX_INVITE_TEXT = 300;
const MAX_SESSION_ID = 200;

/**
 * Shares the visitor list and the invitations between instances on one PostgreSQL: each
 * report, session link, invitation offered, dismissed or handed over here is relayed (one small
 * notification: a heartbeat carries only the visitor id and visit count), and what the others
 * relay is checked as a widget's request would be, then applied here, never relayed again. The
 * sender skips its own notifications (pg/notify.ts), so nothing is applied twice.
 */
export function relayPresence(d: {
  visitors: Visitors;
  invites: Invites;
  relay: (signal: RelayedSignal) => boolean;
  onRelayed: (listener: (signal: RelayedSignal) => void) => () => void;
  now: () => number;
}): () => void {
  d.visitors.relay = (change) => void d.relay(visitorSignal(change));
  d.invites.relay = (change) => void d.relay(inviteSignal(change));
  const stop = d.onRelayed((s) => {
    if (s.to !== 'visitors') return;
    const change = fromSignal(s);
    if (!change) return;
    if (change.kind === 'report' || change.kind === 'link') d.visitors.apply(change, d.now());
    else d.invites.apply(change, d.now());
  });
  return () => {
    stop();
    d.visitors.relay = undefined;
    d.invites.relay = undefined;
  };
}

/** A report or link as relayed: of a heartbeat or leave only what it changes, of a page view its fields, cut to fit if need be. */
export function visitorSignal(change: VisitorChange): VisitorsSignal {
  if (change.kind === 'link') return { to: 'visitors', event: 'link', data: { visitorId: change.visitorId, sessionId: change.sessionId } };
  const r = change.report;
  const base = { visitorId: r.visitorId, ...(r.visits ? { visits: r.visits } : {}) };
  if (r.kind === 'ping') return { to: 'visitors', event: 'ping', data: base };
  if (r.kind === 'leave') return { to: 'visitors', event: 'leave', data: { ...base, ...(r.pageId ? { pageId: r.pageId } : {}) } };
  const { kind: _, visitorId: __, visits: ___, ...fields } = r;
  return { to: 'visitors', event: 'view', data: fitted({ ...base, ...fields }) };
}

/**
 * A page view's fields, its URL, referrer and title cut if need be (whole characters, from the
 * end) so the whole fits in DATA_BYTES, sharing what is left fairly: a short one stays whole,
 * the longer ones are cut to the same size. A real page's report is far below: its URL and
 * referrer are ASCII (browsers percent-encode them) and at most 2 KB each, its title at most 200
 * characters, and the request body at most 8 KB; only a forged one, of characters JSON escapes,
 * is ever cut. The other fields at their caps (presence.ts) take under 1.5 KB, so it always fits.
 */
function fitted(data: VisitorsSignal['data']): VisitorsSignal['data'] {
  if (jsonBytes(data) <= DATA_BYTES) return data;
  const texts = (['url', 'referrer', 'title'] as const)
    .filter((k) => typeof data[k] === 'string')
    .map((k) => ({ k, bytes: jsonBytes(data[k]) }))
    .sort((x, y) => x.bytes - y.bytes);
  const rest = { ...data };
  for (const t of texts) delete rest[t.k];
  // Each text's quotes and key, with its comma: under 16 bytes.
  let room = DATA_BYTES - jsonBytes(rest) - 16 * texts.length;
  for (const [i, t] of texts.entries()) {
    const share = Math.floor(room / (texts.length - i));
    const value = t.bytes <= share ? (data[t.k] as string) : within(data[t.k] as string, share);
    room -= jsonBytes(value);
    rest[t.k] = value;
  }
  return rest;
}

const jsonBytes = (v: unknown) => Buffer.byteLength(JSON.stringify(v));

export function inviteSignal(change: InviteChange): VisitorsSignal {
  if (change.kind === 'offer') return { to: 'visitors', event: 'offer', data: { visitorId: change.visitorId, text: change.text } };
  return { to: 'visitors', event: change.kind, data: { visitorId: change.visitorId } };
}

/** What another instance relayed, checked like the request it came from; undefined when it is not one. */
export function fromSignal(s: VisitorsSignal): VisitorChange | InviteChange | undefined {
  const { visitorId } = s.data;
  if (typeof visitorId !== 'string' || !VISITOR_ID.test(visitorId)) return undefined;
  switch (s.event) {
    case 'view':
    case 'ping':
    case 'leave': {
      let report: VisitorReport;
      try {
        report = toVisitorReport({ ...s.data, kind: s.event });
      } catch {
        return undefined;
      }
      return { kind: 'report', report };
    }
    case 'link': {
      const { sessionId } = s.data;
      if (typeof sessionId !== 'string' || !sessionId || sessionId.length > MAX_SESSION_ID) return undefined;
      return { kind: 'link', visitorId, sessionId };
    }
    case 'offer': {
      const { text } = s.data;
      if (text !== null && (typeof text !== 'string' || text.length > MAX_INVITE_TEXT)) return undefined;
      return { kind: 'offer', visitorId, text };
    }
    case 'dismiss':
    case 'take':
      return { kind: s.event, visitorId };
    default:
      return undefined;
  }
}

/** As much of the start of `s` as takes at most `max` bytes as a JSON string (whole characters). */
function within(s: string, max: number): string {
  let used = 2;
  let end = 0;
  for (const ch of s) {
    used += Buffer.byteLength(JSON.stringify(ch)) - 2;
    if (used > max) break;
    end += ch.length;
  }
  return s.slice(0, end);
}
