/**
 * Manual chat invitations (POST /api/visitors/:id/invite), held in memory until the visitor's
 * page asks (the presence heartbeat's answer carries it), and the visitors who dismissed an
 * invitation, who are not invited again while they stay known (WIDGET_VISITOR_RETENTION_MINUTES).
 * Like the visitor list, with several instances on one PostgreSQL `relay` passes each offer,
 * dismissal and hand-over made here to the other instances, which `apply` it: an invitation
 * offered through one instance reaches the heartbeat another serves, is handed over once, and a
 * dismissal on one holds on all.
 */
const MAX_HELD = 10_000;

/** An offer, a dismissal or an invitation handed over, as one instance passes it to the others. */
export type InviteChange =
  { kind: 'offer'; visitorId: string; text: string | null } | { kind: 'dismiss'; visitorId: string } | { kind: 'take'; visitorId: string };

export class Invites {
  private readonly pending = new Map<string, { text: string | null; at: number }>();
  private readonly dismissed = new Map<string, number>();
  /** Set where other instances exist: called with every change made here (not those applied from elsewhere). */
  relay?: (change: InviteChange) => void;

  constructor(private readonly retentionMs: number) {}

  /** What another instance relayed, here only. */
  apply(change: InviteChange, now: number): void {
    if (change.kind === 'offer') this.hold(change.visitorId, change.text, now);
    else if (change.kind === 'dismiss') this.forgo(change.visitorId, now);
    else this.pending.delete(change.visitorId);
  }

  offer(visitorId: string, text: string | null, now: number): void {
    this.relay?.({ kind: 'offer', visitorId, text });
    this.hold(visitorId, text, now);
  }

  private hold(visitorId: string, text: string | null, now: number): void {
    this.sweep(now);
    if (this.pending.size >= MAX_HELD) this.pending.delete(this.pending.keys().next().value!);
    this.pending.set(visitorId, { text, at: now });
  }

  /** The invitation waiting for this visitor, handed over once. */
  take(visitorId: string): { text: string | null } | undefined {
    const held = this.pending.get(visitorId);
    if (!held) return undefined;
    this.pending.delete(visitorId);
    // The other instances drop their copy, so the next heartbeat, wherever it lands, shows nothing again.
    this.relay?.({ kind: 'take', visitorId });
    return { text: held.text };
  }

  dismiss(visitorId: string, now: number): void {
    this.relay?.({ kind: 'dismiss', visitorId });
    this.forgo(visitorId, now);
  }

  private forgo(visitorId: string, now: number): void {
    this.sweep(now);
    this.pending.delete(visitorId);
    this.dismissed.delete(visitorId);
    if (this.dismissed.size >= MAX_HELD) this.dismissed.delete(this.dismissed.keys().next().value!);
    this.dismissed.set(visitorId, now);
  }

  /** What is held here for a visitor, as the change that would make another instance hold it too: their dismissal wins over an invitation. */
  heldFor(visitorId: string, now: number): InviteChange | undefined {
    if (this.hasDismissed(visitorId, now)) return { kind: 'dismiss', visitorId };
    const held = this.pending.get(visitorId);
    return held ? { kind: 'offer', visitorId, text: held.text } : undefined;
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
