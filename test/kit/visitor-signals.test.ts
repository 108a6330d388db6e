import { afterEach, describe, expect, it, vi } from 'vitest';
import { AgentSignals, signalVisitorChanges } from '../../src/kit/agent-signals.js';
import { ONLINE_MS, Visitors } from '../../src/kit/visitors.js';

const view = (visitorId: string, url: string) => ({ visitorId, kind: 'view' as const, url, pageId: url });

describe('the visitors signal and the session links', () => {
  afterEach(() => vi.useRealTimers());

  it('signals at most once per 2 s (the last change always sent), and once more when a visitor expires', () => {
    vi.useFakeTimers({ now: 1_000_000 });
    const visitors = new Visitors(30 * 60_000);
    const signals = new AgentSignals();
    const got: string[] = [];
    signals.subscribe({ id: 'a1', role: 'agent' }, (s) => got.push(s.event));
    const stop = signalVisitorChanges(visitors, signals, () => Date.now());
    visitors.report(view('v'.repeat(16), 'https://shop.example/1'), Date.now());
    expect(got).toEqual(['visitors']);
    // A burst of page views in the next 2 s: one trailing signal, not one each.
    for (let i = 2; i < 6; i++) visitors.report(view('v'.repeat(16), `https://shop.example/${i}`), Date.now());
    expect(got).toHaveLength(1);
    vi.advanceTimersByTime(2000);
    expect(got).toHaveLength(2);
    // Heartbeats change nothing agents see.
    visitors.report({ visitorId: 'v'.repeat(16), kind: 'ping' }, Date.now());
    vi.advanceTimersByTime(5000);
    expect(got).toHaveLength(2);
    // Silent past ONLINE_MS: the sweep notices they left the list.
    vi.advanceTimersByTime(ONLINE_MS + 10_000);
    expect(visitors.online(Date.now())).toEqual([]);
    expect(got).toHaveLength(3);
    stop();
  });

  it('links a session to one visitor and forgets the link with the visitor', () => {
    const visitors = new Visitors(60_000);
    const [a, b] = ['a'.repeat(16), 'b'.repeat(16)];
    visitors.report(view(a, 'https://shop.example/a'), 0);
    visitors.report(view(b, 'https://shop.example/b'), 0);
    visitors.link(a, 's1', 0);
    expect(visitors.ofSession('s1', 0)?.id).toBe(a);
    expect(visitors.sessionOf(a)).toBe('s1');
    // The session moves to another visitor (the chat opened on another device's page): the old link goes.
    visitors.link(b, 's1', 0);
    expect(visitors.ofSession('s1', 0)?.id).toBe(b);
    expect(visitors.sessionOf(a)).toBeUndefined();
    // Past the retention both visitor and link are forgotten.
    visitors.report(view(a, 'https://shop.example/a2'), 120_000);
    expect(visitors.ofSession('s1', 120_000)).toBeUndefined();
    expect(visitors.sessionOf(b)).toBeUndefined();
  });

  it('a customer’s typing reaches only the agents it is meant for', () => {
    const signals = new AgentSignals();
    const got: string[] = [];
    signals.subscribe({ id: 'holder', role: 'agent' }, () => got.push('holder'));
    signals.subscribe({ id: 'other', role: 'agent' }, () => got.push('other'));
    signals.subscribe({ id: 'boss', role: 'admin' }, () => got.push('boss'));
    const n = signals.publish({ event: 'typing', data: {}, to: (v) => v.role === 'admin' || v.id === 'holder' });
    expect(n).toBe(2);
    expect(got).toEqual(['holder', 'boss']);
  });
});
