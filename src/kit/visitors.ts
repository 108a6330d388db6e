/**
 * Who is on the shop's site now (widget.js reports each page view and a heartbeat), with the pages
 * each visitor went through. Kept in memory, per process, for `retentionMs` after a visitor's last
 * sign of life, then forgotten: it is a live view for agents, not analytics. With several
 * instances on one PostgreSQL, `relay` passes each report and session link made here to the
 * other instances, which `apply` it to their own copy (adapters/webchat/presence-relay.ts), so
 * every instance lists the same visitors whichever instance their widget's requests landed on.
 * Like the typing signals it is a hint: a report lost while an instance reconnects is not sent
 * again, but an instance that starts or reconnects asks the others for what they hold, and they
 * answer with `known` (presence-relay.ts), which it takes in with `learn`.
 */

export interface PageView {
  url: string;
  title: string;
  at: number;
  /** Until the next page, the last heartbeat, or leaving. */
  until: number;
  /** Names this load of the page, so its `leave` (sent as the next page loads) cannot end the next one. */
  pageId?: string;
}

export interface Visitor {
  id: string;
  firstSeenAt: number;
  lastSeenAt: number;
  /** The site that sent them (the first page's referrer), empty when they came directly. */
  referrer: string;
  timeZone: string;
  language: string;
  left: boolean;
  /** Visits to the site from this browser, this one included (counted by widget.js); 1 when unknown. */
  visits: number;
  trail: PageView[];
}

export interface VisitorReport {
  visitorId: string;
  kind: 'view' | 'ping' | 'leave';
  pageId?: string;
  url?: string;
  title?: string;
  referrer?: string;
  timeZone?: string;
  language?: string;
  visits?: number;
}

/** A report or a session link, as one instance passes it to the others. */
export type VisitorChange = { kind: 'report'; report: VisitorReport } | { kind: 'link'; visitorId: string; sessionId: string };

/**
 * A visitor as one instance tells another that joined: their current page as a page view, and how
 * long they have been on the site and on that page (durations, so the two clocks need not agree).
 */
export interface KnownVisitor {
  report: VisitorReport & { kind: 'view' };
  onSiteMs: number;
  onPageMs: number;
  sessionId?: string;
}

/** A visitor whose page has not pinged for this long is no longer on the site (widget.js pings every 30 s). */
export const ONLINE_MS = 75_000;
const MAX_TRAIL = 50;
const MAX_VISITORS = 10_000;

export class Visitors {
  private readonly byId = new Map<string, Visitor>();
  /** A chat session's visitor (POST /webchat/sessions/:id/visitor) and back; dropped with the visitor. */
  private readonly visitorOfSession = new Map<string, string>();
  private readonly sessionOfVisitor = new Map<string, string>();
  /** Told when the list agents see may have changed (a page view, a link, someone leaving). */
  onChange?: () => void;
  /** Set where other instances exist: called with every report and link made here (not those applied from elsewhere). */
  relay?: (change: VisitorChange) => void;

  constructor(private readonly retentionMs: number) {}

  /** A page view, heartbeat or leave, here and, through `relay`, on the other instances. */
  report(r: VisitorReport, now: number): void {
    this.relay?.({ kind: 'report', report: r });
    this.applyReport(r, now);
  }

  /** What another instance relayed, here only. */
  apply(change: VisitorChange, now: number): void {
    if (change.kind === 'report') this.applyReport(change.report, now);
    else this.applyLink(change.visitorId, change.sessionId, now);
  }

  private applyReport(r: VisitorReport, now: number): void {
    this.sweep(now);
    let v = this.byId.get(r.visitorId);
    if (!v) {
      if (r.kind !== 'view' || this.byId.size >= MAX_VISITORS) return;
      v = {
        id: r.visitorId,
        firstSeenAt: now,
        lastSeenAt: now,
        referrer: r.referrer ?? '',
        timeZone: r.timeZone ?? '',
        language: r.language ?? '',
        left: false,
        visits: 1,
        trail: [],
      };
      this.byId.set(v.id, v);
    }
    // Map order is last-seen order, so the sweep stops at the first visitor still retained.
    this.byId.delete(v.id);
    this.byId.set(v.id, v);
    const current = v.trail.at(-1);
    // A late `leave` of the page before (keepalive requests race the next page's view) changes nothing.
    if (r.kind === 'leave' && r.pageId !== current?.pageId) return;
    v.lastSeenAt = now;
    if (r.visits) v.visits = Math.max(v.visits, r.visits);
    v.left = r.kind === 'leave';
    if (current) current.until = now;
    if (r.kind === 'view' && r.url) {
      v.trail.push({ url: r.url, title: r.title ?? '', at: now, until: now, ...(r.pageId ? { pageId: r.pageId } : {}) });
      if (v.trail.length > MAX_TRAIL) v.trail.splice(0, v.trail.length - MAX_TRAIL);
    }
    // A heartbeat changes no row agents look at (time on site counts on their side).
    if (r.kind !== 'ping') this.onChange?.();
  }

  /**
   * A visitor as another instance knows them (its answer to this one joining): taken as a page
   * view unless that page is in their trail here already, so an instance that heard the view live
   * (every instance hears the answer) adds nothing, and one that missed it catches up. A visitor
   * new here is on the site, and on that page, since the other says, not since now.
   */
  learn(k: Omit<KnownVisitor, 'sessionId'>, now: number): void {
    const r = k.report;
    const before = this.byId.get(r.visitorId);
    const last = before?.trail.at(-1);
    if (r.pageId ? before?.trail.some((p) => p.pageId === r.pageId) : last?.url === r.url) return;
    this.applyReport(r, now);
    const v = this.byId.get(r.visitorId);
    const page = v?.trail.at(-1);
    if (!v || !page || page === last) return;
    if (!before) v.firstSeenAt = now - Math.min(k.onSiteMs, this.retentionMs);
    const previous = v.trail.at(-2);
    page.at = Math.max(now - Math.min(k.onPageMs, k.onSiteMs), v.firstSeenAt, previous?.at ?? -Infinity);
    if (previous) previous.until = page.at;
  }

  /**
   * The `max` visitors online here seen most recently (in the order seen), each as `learn` takes
   * them, with their chat session if they opened one.
   */
  known(now: number, max: number): KnownVisitor[] {
    this.sweep(now);
    const found: KnownVisitor[] = [];
    // Map order is last-seen order: the most recent are at the end.
    for (const v of [...this.byId.values()].reverse()) {
      if (found.length >= max || now - v.lastSeenAt > ONLINE_MS) break;
      const page = v.trail.at(-1);
      if (v.left || !page) continue;
      const report: VisitorReport & { kind: 'view' } = {
        visitorId: v.id,
        kind: 'view',
        url: page.url,
        ...(page.title ? { title: page.title } : {}),
        ...(page.pageId ? { pageId: page.pageId } : {}),
        ...(v.referrer ? { referrer: v.referrer } : {}),
        ...(v.timeZone ? { timeZone: v.timeZone } : {}),
        ...(v.language ? { language: v.language } : {}),
        visits: v.visits,
      };
      const sessionId = this.sessionOfVisitor.get(v.id);
      found.push({ report, onSiteMs: now - v.firstSeenAt, onPageMs: now - page.at, ...(sessionId ? { sessionId } : {}) });
    }
    // Oldest first, so the instance that learns them lists them in the same order.
    return found.reverse();
  }

  /**
   * Links a chat session to the visitor whose pages opened it, so agents see the trail beside the
   * conversation. A session has one visitor (the latest to say so) and a visitor one session.
   */
  link(visitorId: string, sessionId: string, now: number): void {
    this.relay?.({ kind: 'link', visitorId, sessionId });
    this.applyLink(visitorId, sessionId, now);
  }

  private applyLink(visitorId: string, sessionId: string, now: number): void {
    this.sweep(now);
    const before = this.visitorOfSession.get(sessionId);
    if (before === visitorId) return;
    if (before) this.sessionOfVisitor.delete(before);
    const oldSession = this.sessionOfVisitor.get(visitorId);
    if (oldSession) this.visitorOfSession.delete(oldSession);
    this.visitorOfSession.set(sessionId, visitorId);
    this.sessionOfVisitor.set(visitorId, sessionId);
    // Bounded like the visitors: the oldest link goes first.
    if (this.visitorOfSession.size > MAX_VISITORS) {
      const [s, v] = this.visitorOfSession.entries().next().value as [string, string];
      this.visitorOfSession.delete(s);
      this.sessionOfVisitor.delete(v);
    }
    this.onChange?.();
  }

  /** The visitor linked to a chat session, while it is remembered. */
  ofSession(sessionId: string, now: number): Visitor | undefined {
    this.sweep(now);
    const id = this.visitorOfSession.get(sessionId);
    return id ? this.byId.get(id) : undefined;
  }

  /** The chat session a visitor opened, if any. */
  sessionOf(visitorId: string): string | undefined {
    return this.sessionOfVisitor.get(visitorId);
  }

  /** Ids of the visitors online now, in a stable order: a cheap way to notice the list changed by expiry. */
  signature(now: number): string {
    return this.online(now)
      .map((v) => v.id)
      .join(',');
  }

  /** Visitors on the site now, the longest there first. */
  online(now: number): Visitor[] {
    this.sweep(now);
    return [...this.byId.values()].filter((v) => !v.left && now - v.lastSeenAt <= ONLINE_MS).sort((a, b) => a.firstSeenAt - b.firstSeenAt);
  }

  private sweep(now: number): void {
    for (const v of this.byId.values()) {
      if (now - v.lastSeenAt <= this.retentionMs) break;
      this.byId.delete(v.id);
      const session = this.sessionOfVisitor.get(v.id);
      if (session !== undefined) {
        this.sessionOfVisitor.delete(v.id);
        this.visitorOfSession.delete(session);
      }
    }
  }
}
