import type { InviteChange, Invites } from '../../src/kit/invites.js';
import type { KnownVisitor, VisitorChange, VisitorReport, Visitors } from '../../src/kit/visitors.js';
import { MAX_PAYLOAD_BYTES, type RelayedSignal } from '../../src/domain/relayed-signal.js';
import { toVisitorReport, VISITOR_ID } from './presence.js';

type VisitorsSignal = Exclude<Extract<RelayedSignal, { to: 'visitors' }>, { event: 'hello' }>;

/**
 * What a relayed signal's `data` may take, in bytes of JSON, so the whole notification (with the
 * sender's id, `to` and `event`, under 100 bytes) stays below what PostgreSQL refuses.
 */
const DATA_BYTES = MAX_PAYLOAD_BYTES - 200;
/** An invitation's text is at most 300 characters (POST /api/visitors/:id/invite). */
const MAX_INVITE_TEXT = 300;
const MAX_SESSION_ID = 200;
/**
 * Visitors an answer to `hello` carries at most: those seen most recently. Each costs up to
 * three notifications (its page, its chat session, its invitation or dismissal), so an answer
 * stays at 300, well under the 1000 signals InstanceChannel lets wait for the server, and live
 * heartbeats are not crowded out; 100 is more than agents work through on one Visitors page.
 */
export const HELLO_ANSWER_VISITORS = 100;
/**
 * An instance tells what it holds (answering `hello`, or as it joins) at most once in this long:
 * one that joins again and again (a flapping connection) cannot make the others, or itself, flood
 * the channel. A hello inside the pause gets one answer at its end (which every instance hears),
 * so instances started together all catch up.
 */
export const HELLO_ANSWER_EVERY_MS = 10_000;

/**
 * Shares the visitor list and the invitations between instances on one PostgreSQL: each
 * report, session link, invitation offered, dismissed or handed over here is relayed (one small
 * notification: a heartbeat carries only the visitor id and visit count), and what the others
 * relay is checked as a widget's request would be, then applied here, never relayed again. The
 * sender skips its own notifications (pg/notify.ts), so nothing is applied twice.
 *
 * An instance that starts, or whose listening connection reconnects, missed what was relayed
 * before: it sends `hello`, and each other instance answers with what it holds of its visitors
 * (see HELLO_ANSWER_VISITORS, HELLO_ANSWER_EVERY_MS). It also tells what it holds itself, since
 * the others may have missed it too: when the database restarts every instance reconnects, and
 * the first back says hello to no one, so only the later ones' news reach it. Asking instead
 * for the one visitor whose heartbeat names someone unknown would be as small, but leaves the
 * list empty until the next heartbeats (up to 30 s), takes a question per visitor, and misses
 * invitations and dismissals; one hello per join closes all of it at once.
 */
export function relayPresence(d: {
  visitors: Visitors;
  invites: Invites;
  relay: (signal: RelayedSignal) => boolean;
  onRelayed: (listener: (signal: RelayedSignal) => void) => () => void;
  /** Told each time this instance's listening connection (re)connects. */
  onJoined: (listener: () => void) => () => void;
  now: () => number;
}): () => void {
  d.visitors.relay = (change) => void d.relay(visitorSignal(change));
  d.invites.relay = (change) => void d.relay(inviteSignal(change));
  let toldAt = -Infinity;
  let later: ReturnType<typeof setTimeout> | undefined;
  const tellNow = () => {
    const now = d.now();
    const known = d.visitors.known(now, HELLO_ANSWER_VISITORS);
    // Telling nothing costs nothing: only what was sent starts the pause.
    if (known.length) toldAt = now;
    for (const { report, sessionId, onSiteMs, onPageMs } of known) {
      const view = visitorSignal({ kind: 'report', report });
      d.relay({ to: 'visitors', event: 'known', data: fitted({ ...view.data, onSiteMs, onPageMs }) });
      if (sessionId) d.relay(visitorSignal({ kind: 'link', visitorId: report.visitorId, sessionId }));
      const held = d.invites.heldFor(report.visitorId, now);
      if (held) d.relay(inviteSignal(held));
    }
  };
  /** What this instance holds, to every other, now or at the end of the pause. */
  const tell = () => {
    if (later) return;
    const wait = toldAt + HELLO_ANSWER_EVERY_MS - d.now();
    if (wait <= 0) return tellNow();
    later = setTimeout(() => {
      later = undefined;
      tellNow();
    }, wait);
    later.unref();
  };
  // What it holds, then the question, so that what it tells is not what the answers just told it.
  const join = () => {
    tell();
    d.relay({ to: 'visitors', event: 'hello', data: {} });
  };
  const stopHearing = d.onRelayed((s) => {
    if (s.to !== 'visitors') return;
    if (s.event === 'hello') return tell();
    const change = fromSignal(s);
    if (!change) return;
    if (change.kind === 'known') d.visitors.learn(change, d.now());
    else if (change.kind === 'report' || change.kind === 'link') d.visitors.apply(change, d.now());
    else d.invites.apply(change, d.now());
  });
  const stopJoining = d.onJoined(join);
  // Started after the channel connected (src/main.ts): this is the join; if it is down, onJoined says when it is up.
  join();
  return () => {
    stopHearing();
    stopJoining();
    clearTimeout(later);
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
export function fromSignal(
  s: VisitorsSignal,
): VisitorChange | InviteChange | ({ kind: 'known' } & Omit<KnownVisitor, 'sessionId'>) | undefined {
  const { visitorId } = s.data;
  if (typeof visitorId !== 'string' || !VISITOR_ID.test(visitorId)) return undefined;
  switch (s.event) {
    case 'view':
    case 'ping':
    case 'leave':
    case 'known': {
      // A visitor as another instance knows them is checked as the page view it was.
      const kind = s.event === 'known' ? 'view' : s.event;
      let report: VisitorReport;
      try {
        report = toVisitorReport({ ...s.data, kind });
      } catch {
        return undefined;
      }
      if (s.event !== 'known') return { kind: 'report', report };
      // Durations in milliseconds; what is not one counts as none (Visitors.learn caps them by the retention).
      const ms = (x: unknown) => (typeof x === 'number' && Number.isFinite(x) && x > 0 ? x : 0);
      return { kind: 'known', report: { ...report, kind: 'view' }, onSiteMs: ms(s.data.onSiteMs), onPageMs: ms(s.data.onPageMs) };
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
