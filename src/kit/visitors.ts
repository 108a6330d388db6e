/**
 * Who is on the shop's site now (widget.js reports each page view and a heartbeat), with the pages
 * each visitor went through. Kept in memory, per process, for `retentionMs` after a visitor's last
 * sign of life, then forgotten: it is a live view for agents, not analytics. With several
 * instances each knows the visitors whose requests it served.
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
}

/** A visitor whose page has not pinged for this long is no longer on the site (widget.js pings every 30 s). */
export const ONLINE_MS = 75_000;
const MAX_TRAIL = 50;
const MAX_VISITORS = 10_000;

export class Visitors {
  private readonly byId = new Map<string, Visitor>();

  constructor(private readonly retentionMs: number) {}

  report(r: VisitorReport, now: number): void {
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
    v.left = r.kind === 'leave';
    if (current) current.until = now;
    if (r.kind === 'view' && r.url) {
      v.trail.push({ url: r.url, title: r.title ?? '', at: now, until: now, ...(r.pageId ? { pageId: r.pageId } : {}) });
      if (v.trail.length > MAX_TRAIL) v.trail.splice(0, v.trail.length - MAX_TRAIL);
    }
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
    }
  }
}
