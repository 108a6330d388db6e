/**
 * Faults below the protocol, for the HTTP fakes: the peer resets the connection or never
 * answers (the client's timeout fires). Status faults (429 with retry-after, 5xx, permanent
 * 4xx) are each fake's own `failNext`/`faults`, in the platform's error format; a DNS failure
 * is a base URL on the reserved `.invalid` domain (`UNRESOLVABLE_HOST`).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** RFC 6761 reserves `.invalid`: a lookup of it always fails, like a mistyped or vanished API host. */
export const UNRESOLVABLE_HOST = 'api.switchboard-fault.invalid';

/** `reset`: TCP RST; `hang`: never answers; `delay`: answers normally after `ms` (a slow peer). */
export type ConnectionFaultKind = 'reset' | 'hang' | 'delay';

interface Rule {
  kind: ConnectionFaultKind;
  ms: number;
  /** Calls still to fault; Infinity until cleared. */
  times: number;
  match: (req: IncomingMessage) => boolean;
}

export class ConnectionFaults {
  private rules: Rule[] = [];
  private hung = new Set<ServerResponse>();
  /** Requests that were faulted, for assertions. */
  faulted = 0;

  /** The next `times` matching requests (default every one, until `clear`) meet `kind`. */
  inject(kind: ConnectionFaultKind, opts: { times?: number; ms?: number; match?: (req: IncomingMessage) => boolean } = {}): void {
    this.rules.push({ kind, ms: opts.ms ?? 1_000, times: opts.times ?? Infinity, match: opts.match ?? (() => true) });
  }

  /** Back to normal; requests left hanging are reset, as a peer that recovered would have dropped them. */
  clear(): void {
    this.rules = [];
    for (const res of this.hung) res.socket?.destroy();
    this.hung.clear();
  }

  /** Called first by a fake's request handler; true when the fault consumed the request. */
  async take(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const rule = this.rules.find((r) => r.times > 0 && r.match(req));
    if (!rule) return false;
    rule.times--;
    this.faulted++;
    if (rule.kind === 'delay') {
      await new Promise((r) => setTimeout(r, rule.ms));
      return res.destroyed;
    }
    if (rule.kind === 'reset') {
      req.socket.resetAndDestroy();
    } else {
      this.hung.add(res);
      res.on('close', () => this.hung.delete(res));
    }
    return true;
  }
}
