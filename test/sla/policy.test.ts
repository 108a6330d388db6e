import { describe, expect, it } from 'vitest';
import { compilePolicy, conversationSla } from '../../src/sla/policy.js';
import { DEFAULT_SLA_SETTINGS } from '../../src/sla/settings.js';
import type { ConversationRow } from '../../src/store/ports.js';
import { conversationRow } from '../support/conversation-row.js';

// Around the clock in UTC: business time is wall time, so the cases read plainly.
const policy = compilePolicy(DEFAULT_SLA_SETTINGS);
const T0 = Date.parse('2026-12-01T10:00:00Z');
const MIN = 60_000;

const row = (patch: Partial<ConversationRow>): ConversationRow => conversationRow(T0, patch);

describe('a conversation’s SLA from its stored fields', () => {
  it('due times from the hand-off at its priority; breached once the due time passes unmet', () => {
    expect(conversationSla(row({}), policy, T0 + 10 * MIN)).toEqual({
      priority: 'urgent',
      startedAt: T0,
      firstResponse: { dueAt: T0 + 15 * MIN, metAt: null, breachedAt: null },
      resolution: { dueAt: T0 + 240 * MIN, metAt: null, breachedAt: null },
    });
    expect(conversationSla(row({}), policy, T0 + 16 * MIN)!.firstResponse.breachedAt).toBe(T0 + 15 * MIN);
    expect(conversationSla(row({ priority: 'low' }), policy, T0 + 16 * MIN)!.firstResponse).toEqual({
      dueAt: T0 + 480 * MIN,
      metAt: null,
      breachedAt: null,
    });
  });

  it('a reply in time meets the first response; a late one stays breached', () => {
    expect(conversationSla(row({ firstRespondedAt: T0 + 5 * MIN }), policy, T0 + 60 * MIN)!.firstResponse.breachedAt).toBeNull();
    expect(conversationSla(row({ firstRespondedAt: T0 + 20 * MIN }), policy, T0 + 60 * MIN)!.firstResponse).toEqual({
      dueAt: T0 + 15 * MIN,
      metAt: T0 + 20 * MIN,
      breachedAt: T0 + 15 * MIN,
    });
  });

  it('resolving stops both clocks at the resolve time', () => {
    const resolved = conversationSla(row({ status: 'resolved', resolvedAt: T0 + 10 * MIN }), policy, T0 + 1_000 * MIN)!;
    expect(resolved.resolution).toEqual({ dueAt: T0 + 240 * MIN, metAt: T0 + 10 * MIN, breachedAt: null });
    expect(resolved.firstResponse.breachedAt).toBeNull();
    const late = conversationSla(row({ status: 'closed', resolvedAt: T0 + 300 * MIN }), policy, T0 + 1_000 * MIN)!;
    expect(late.resolution.breachedAt).toBe(T0 + 240 * MIN);
  });

  it('no clock before a hand-off; a conversation waiting from before the upgrade counts from its waiting time', () => {
    expect(conversationSla(row({ status: 'bot', slaStartedAt: null, waitingSince: null }), policy, T0)).toBeNull();
    expect(conversationSla(row({ slaStartedAt: null, waitingSince: T0 - 5 * MIN }), policy, T0)!.firstResponse.dueAt).toBe(T0 + 10 * MIN);
    expect(conversationSla(row({ status: 'assigned', slaStartedAt: null, waitingSince: null }), policy, T0)).toBeNull();
  });
});
