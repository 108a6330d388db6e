/**
 * Manual chat invitations (POST /api/visitors/:id/invite), held in memory until the visitor's
 * page asks (the presence heartbeat's answer carries it), and the visitors who dismissed an
 * invitation, who are not invited again while they stay known (WIDGET_VISITOR_RETENTION_MINUTES).
 * Like the visitor list, each instance knows the visitors it served.
 */
const MAX_HELD = 10_000;

export class Invites {
  private readonly pending = new Map<string, { text: string | null; at: number }>();
  private readonly dismissed = new Map<string, number>();

  constructor(private readonly retentionMs: number) {}

  offer(visitorId: string, text: string | null, now: number): void {
    this.sweep(now);
    if (this.pending.size >= MAX_HELD) this.pending.delete(this.pending.keys().next().value!);
    this.pending.set(visitorId, { text, at: now });
  }

  /** The invitation waiting for this visitor, handed over once. */
  take(visitorId: string): { text: string | null } | undefined {
    const held = this.pending.get(visitorId);
    if (held) this.pending.delete(visitorId);
    return held && { text: held.text };
  }

  dismiss(visitorId: string, now: number): void {
    this.sweep(now);
    this.pending.delete(visitorId);
    this.dismissed.delete(visitorId);
    if (this.dismissed.size >= MAX_HELD) this.dismissed.delete(this.dismissed.keys().next().value!);
    this.dismissed.set(visitorId, now);
  }

  hasDismissed(visitorId: string, now: number): boolean {
    this.sweep(now);
    return this.dismissed.has(visitorId);
  }

  private sweep(now: number): void {
    for (const [id, at] of this.dismissed) {
      if (now - at <= this.retentionMs) break;
      this.dismissed.delete(id);
    }
    for (const [id, held] of this.pending) {
      if (now - held.at <= this.retentionMs) break;
      this.pending.delete(id);
    }
  }
}
