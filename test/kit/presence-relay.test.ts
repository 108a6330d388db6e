/**
 * The visitors and invitations as instances relay them (adapters/webchat/presence-relay.ts): what
 * goes out is small and always fits one notification, what comes in is checked like a widget's
 * request, and two instances' copies joined by it agree without anything applied twice.
 */
import { describe, expect, it } from 'vitest';
import { fromSignal, inviteSignal, relayPresence, visitorSignal } from '../../adapters/webchat/presence-relay.js';
import { Invites } from '../../src/kit/invites.js';
import { Visitors } from '../../src/kit/visitors.js';
import { MAX_PAYLOAD_BYTES, type RelayedSignal } from '../../src/domain/relayed-signal.js';

const id = 'v'.repeat(16);
/** What InstanceChannel.publish sends: the sender's id (a UUID) and the signal. */
const notice = (s: RelayedSignal) => Buffer.byteLength(JSON.stringify({ o: crypto.randomUUID(), s }));

describe('relayed visitors and invitations', () => {
  it('a heartbeat carries only the visitor and visit count; a forged page view at every cap is cut to fit one notification', () => {
    const ping = visitorSignal({ kind: 'report', report: { visitorId: id, kind: 'ping', url: 'https://shop.example/x', visits: 3 } });
    expect(ping).toEqual({ to: 'visitors', event: 'ping', data: { visitorId: id, visits: 3 } });
    expect(notice(ping)).toBeLessThan(150);

    const lone = '\ud800';
    const forged = {
      visitorId: 'w'.repeat(64),
      kind: 'view' as const,
      pageId: lone.repeat(64),
      url: `https://shop.example/${lone.repeat(2048)}`,
      title: lone.repeat(200),
      referrer: `https://r.example/${lone.repeat(2048)}`,
      timeZone: lone.repeat(64),
      language: lone.repeat(35),
      visits: 1_000_000,
    };
    const signal = visitorSignal({ kind: 'report', report: forged });
    expect(notice(signal)).toBeLessThanOrEqual(MAX_PAYLOAD_BYTES);
    const back = fromSignal(signal);
    expect(back?.kind).toBe('report');
    const report = (back as { report: typeof forged }).report;
    // Shared fairly: the short title whole, the URL and the referrer cut to about the same size.
    expect(report.title).toBe(forged.title);
    expect(forged.url.startsWith(report.url)).toBe(true);
    expect(forged.referrer.startsWith(report.referrer)).toBe(true);
    expect(Math.abs(report.url.length - report.referrer.length)).toBeLessThan(10);
    expect(report.url.length).toBeGreaterThan(400);
    expect(report).toMatchObject({ kind: 'view', pageId: forged.pageId, timeZone: forged.timeZone, language: forged.language });

    // A real page's report goes whole.
    const real = { visitorId: id, kind: 'view' as const, url: `https://shop.example/${'a'.repeat(2000)}`, title: '鞋'.repeat(200) };
    expect((fromSignal(visitorSignal({ kind: 'report', report: real })) as { report: unknown }).report).toEqual(real);
  });

  it('what does not pass the checks a widget request would is dropped', () => {
    const bad: Parameters<typeof fromSignal>[0][] = [
      { to: 'visitors', event: 'view', data: { visitorId: 'short' } },
      { to: 'visitors', event: 'view', data: { visitorId: id, url: 'javascript:alert(1)' } },
      { to: 'visitors', event: 'ping', data: { visitorId: id, title: 7 } },
      { to: 'visitors', event: 'link', data: { visitorId: id, sessionId: 42 } },
      { to: 'visitors', event: 'link', data: { visitorId: id, sessionId: 's'.repeat(201) } },
      { to: 'visitors', event: 'offer', data: { visitorId: id, text: 'x'.repeat(301) } },
      { to: 'visitors', event: 'offer', data: { visitorId: id } },
      { to: 'visitors', event: 'nonsense' as 'take', data: { visitorId: id } },
    ];
    for (const s of bad) expect(fromSignal(s), JSON.stringify(s)).toBeUndefined();
    expect(fromSignal(inviteSignal({ kind: 'offer', visitorId: id, text: null }))).toEqual({ kind: 'offer', visitorId: id, text: null });
    expect(fromSignal(visitorSignal({ kind: 'link', visitorId: id, sessionId: 's1' }))).toEqual({
      kind: 'link',
      visitorId: id,
      sessionId: 's1',
    });
  });

  it('two copies joined by the relay agree; an invitation is handed over once, wherever the heartbeat lands', () => {
    // Two instances' state joined the way the channel joins them: each hears the other, never itself.
    const make = () => ({ visitors: new Visitors(60_000), invites: new Invites(60_000), hear: new Set<(s: RelayedSignal) => void>() });
    const [a, b] = [make(), make()];
    const sent: RelayedSignal[] = [];
    for (const [self, other] of [
      [a, b],
      [b, a],
    ] as const)
      relayPresence({
        visitors: self.visitors,
        invites: self.invites,
        relay: (s) => {
          sent.push(s);
          // Through JSON, as over NOTIFY.
          for (const l of other.hear) l(JSON.parse(JSON.stringify(s)) as RelayedSignal);
          return true;
        },
        onRelayed: (l) => (self.hear.add(l), () => self.hear.delete(l)),
        now: () => 1000,
      });
    b.visitors.report({ visitorId: id, kind: 'view', url: 'https://shop.example/', pageId: 'p1' }, 1000);
    a.visitors.link(id, 's1', 1000);
    expect(a.visitors.online(1000).map((v) => v.trail.map((p) => p.url))).toEqual([['https://shop.example/']]);
    expect(b.visitors.ofSession('s1', 1000)?.id).toBe(id);
    // One notification per change made, none for what was applied from the other.
    expect(sent.map((s) => s.event)).toEqual(['view', 'link']);

    a.invites.offer(id, 'Hi!', 1000);
    expect(b.invites.take(id)).toEqual({ text: 'Hi!' });
    expect(a.invites.take(id)).toBeUndefined();
    b.invites.dismiss(id, 1000);
    expect(a.invites.hasDismissed(id, 1000)).toBe(true);
    expect(sent.map((s) => s.event)).toEqual(['view', 'link', 'offer', 'take', 'dismiss']);
  });
});
