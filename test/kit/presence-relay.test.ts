/**
 * The visitors and invitations as instances relay them (adapters/webchat/presence-relay.ts): what
 * goes out is small and always fits one notification, what comes in is checked like a widget's
 * request, and two instances' copies joined by it agree without anything applied twice; one that
 * joins late, or reconnects, catches up on what the others hold, in bounded answers at most once per pause.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  fromSignal,
  HELLO_ANSWER_EVERY_MS,
  HELLO_ANSWER_VISITORS,
  inviteSignal,
  relayPresence,
  visitorSignal,
} from '../../adapters/webchat/presence-relay.js';
import { Invites } from '../../src/kit/invites.js';
import { Visitors } from '../../src/kit/visitors.js';
import { MAX_PAYLOAD_BYTES, type RelayedSignal } from '../../src/domain/relayed-signal.js';

const id = 'v'.repeat(16);

/**
 * Instances' state joined the way the channel joins them: each hears the others, never itself,
 * through JSON as over NOTIFY; `join` starts one (it says hello), `down` cuts its connection
 * (it neither sends nor hears) and `rejoin` brings it back.
 */
function channel(now: () => number) {
  const nodes: { hear: Set<(s: RelayedSignal) => void>; up: boolean }[] = [];
  const sent: RelayedSignal[] = [];
  const join = () => {
    const self = { visitors: new Visitors(600_000), invites: new Invites(600_000), hear: new Set<(s: RelayedSignal) => void>(), up: true };
    const joined = new Set<() => void>();
    nodes.push(self);
    const stop = relayPresence({
      visitors: self.visitors,
      invites: self.invites,
      relay: (s) => {
        if (!self.up) return false;
        sent.push(s);
        for (const other of nodes)
          if (other !== self && other.up) for (const l of other.hear) l(JSON.parse(JSON.stringify(s)) as RelayedSignal);
        return true;
      },
      onRelayed: (l) => (self.hear.add(l), () => self.hear.delete(l)),
      onJoined: (l) => (joined.add(l), () => joined.delete(l)),
      now,
    });
    const down = () => void (self.up = false);
    const rejoin = () => {
      self.up = true;
      joined.forEach((l) => l());
    };
    return { ...self, stop, down, rejoin };
  };
  return { join, sent };
}
/** What InstanceChannel.publish sends: the sender's id (a UUID) and the signal. */
const notice = (s: RelayedSignal) => Buffer.byteLength(JSON.stringify({ o: crypto.randomUUID(), s }));

describe('relayed visitors and invitations', () => {
  afterEach(() => void vi.useRealTimers());
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
      // A visitor as another instance knows them is checked as the page view it was.
      { to: 'visitors', event: 'known', data: { visitorId: id, url: 'javascript:alert(1)' } },
      { to: 'visitors', event: 'known', data: { visitorId: 'short', url: 'https://shop.example/' } },
    ];
    for (const s of bad) expect(fromSignal(s), JSON.stringify(s)).toBeUndefined();
    // How long they are on the site and page: what is not a duration counts as none.
    const known = { visitorId: id, url: 'https://shop.example/', onSiteMs: 'long', onPageMs: -5 };
    expect(fromSignal({ to: 'visitors', event: 'known', data: known })).toMatchObject({ kind: 'known', onSiteMs: 0, onPageMs: 0 });
    expect(fromSignal(inviteSignal({ kind: 'offer', visitorId: id, text: null }))).toEqual({ kind: 'offer', visitorId: id, text: null });
    expect(fromSignal(visitorSignal({ kind: 'link', visitorId: id, sessionId: 's1' }))).toEqual({
      kind: 'link',
      visitorId: id,
      sessionId: 's1',
    });
  });

  it('two copies joined by the relay agree; an invitation is handed over once, wherever the heartbeat lands', () => {
    const net = channel(() => 1000);
    const [a, b] = [net.join(), net.join()];
    const sent = net.sent;
    // Each said hello as it joined; a had nothing to answer with.
    expect(sent.splice(0).map((s) => s.event)).toEqual(['hello', 'hello']);
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

  it('an instance that joins late hears the most recent visitors with their pages, sessions and invitations, bounded, once per pause', () => {
    vi.useFakeTimers();
    let now = 1000;
    const net = channel(() => now);
    const [a, c] = [net.join(), net.join()];
    const many = HELLO_ANSWER_VISITORS + 50;
    const ids = Array.from({ length: many }, (_, i) => `visitor-${String(i).padStart(8, '0')}`);
    for (const [i, v] of ids.entries())
      a.visitors.report(
        { visitorId: v, kind: 'view', url: `https://shop.example/p${i}`, title: `P${i}`, pageId: `p${i}`, visits: 2 },
        now + i,
      );
    now += many;
    const last = ids.at(-1)!;
    a.visitors.link(last, 's1', now);
    a.invites.offer(last, 'Hi!', now);
    a.invites.dismiss(ids.at(-2)!, now);
    // One who left is not on the site: not in the answer.
    a.visitors.report({ visitorId: ids.at(-3)!, kind: 'leave', pageId: `p${many - 3}` }, now);
    net.sent.length = 0;

    const b = net.join();
    const answer = net.sent.splice(0);
    expect(answer[0]!.event).toBe('hello');
    const known = answer.filter((s) => s.event === 'known');
    // A and C hold the same visitors: each answers with the most recent it holds, at most HELLO_ANSWER_VISITORS.
    expect(known.length).toBe(2 * HELLO_ANSWER_VISITORS);
    expect(answer.length).toBeLessThanOrEqual(1 + 2 * 3 * HELLO_ANSWER_VISITORS);
    const listed = b.visitors.online(now);
    expect(listed.map((v) => v.id)).toEqual(ids.slice(many - HELLO_ANSWER_VISITORS - 1).filter((v) => v !== ids.at(-3)));
    expect(listed.find((v) => v.id === last)).toMatchObject({
      visits: 2,
      trail: [{ url: `https://shop.example/p${many - 1}`, title: `P${many - 1}` }],
    });
    // Since when they are on the site and on their page, as A has it.
    const onA = a.visitors.online(now).find((v) => v.id === last)!;
    expect(listed.find((v) => v.id === last)).toMatchObject({ firstSeenAt: onA.firstSeenAt, trail: [{ at: onA.trail[0]!.at }] });
    expect(b.visitors.ofSession('s1', now)?.id).toBe(last);
    expect(b.invites.hasDismissed(ids.at(-2)!, now)).toBe(true);
    expect(b.invites.take(last)).toEqual({ text: 'Hi!' });
    // C heard all of it live: the answers added no page to its trails.
    expect(c.visitors.online(now).find((v) => v.id === last)?.trail.length).toBe(1);

    // B's connection flaps: each instance tells what it holds at most once per pause (B at once, as it had not yet).
    net.sent.length = 0;
    for (let i = 0; i < 5; i++) b.rejoin();
    const told = () => net.sent.filter((s) => s.event === 'known').length;
    expect(net.sent.filter((s) => s.event === 'hello')).toHaveLength(5);
    expect(told()).toBe(HELLO_ANSWER_VISITORS);
    now += HELLO_ANSWER_EVERY_MS;
    vi.advanceTimersByTime(HELLO_ANSWER_EVERY_MS);
    expect(told()).toBe(4 * HELLO_ANSWER_VISITORS);
    vi.advanceTimersByTime(10 * HELLO_ANSWER_EVERY_MS);
    expect(told()).toBe(4 * HELLO_ANSWER_VISITORS);
    // Nothing changed on B: it had all of it already.
    expect(b.visitors.online(now).find((v) => v.id === last)?.trail.length).toBe(1);
    for (const n of [a, b, c]) n.stop();
  });

  it('after the database comes back, instances that reconnect one after the other each get what the other missed', () => {
    vi.useFakeTimers();
    const now = 1000;
    const net = channel(() => now);
    const [a, b] = [net.join(), net.join()];
    a.down();
    b.down();
    // Each has a page view reported in the gap, relayed to no one.
    a.visitors.report({ visitorId: 'visitor-on-a-0000', kind: 'view', url: 'https://shop.example/a' }, now);
    b.visitors.report({ visitorId: 'visitor-on-b-0000', kind: 'view', url: 'https://shop.example/b' }, now);
    // B is back first: what it tells and asks reaches no one. A, back later, tells B at once, and
    // hears from B at the end of the pause B's telling began.
    b.rejoin();
    a.rejoin();
    const urls = (n: typeof a) =>
      n.visitors
        .online(now)
        .flatMap((v) => v.trail.map((p) => p.url))
        .sort();
    expect(urls(b)).toEqual(['https://shop.example/a', 'https://shop.example/b']);
    expect(urls(a)).toEqual(['https://shop.example/a']);
    vi.advanceTimersByTime(HELLO_ANSWER_EVERY_MS);
    expect(urls(a)).toEqual(['https://shop.example/a', 'https://shop.example/b']);
    for (const n of [a, b]) n.stop();
  });
});
