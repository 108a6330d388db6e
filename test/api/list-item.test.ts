import { describe, expect, it } from 'vitest';
import { compilePolicy } from '../../src/sla/policy.js';
import { DEFAULT_SLA_SETTINGS } from '../../src/sla/settings.js';
import { conversationListItem, conversationView, customerView } from '../../src/api/views.js';
import type { ConversationRow } from '../../src/store/ports.js';
import { conversationRow } from '../support/conversation-row.js';

const policy = compilePolicy(DEFAULT_SLA_SETTINGS);
const T0 = Date.parse('2026-12-01T10:00:00Z');
const MIN = 60_000;

const row = (patch: Partial<ConversationRow>): ConversationRow =>
  conversationRow(T0, { lastMessageAt: T0 + MIN, createdAt: T0 - MIN, ...patch });

describe('a conversation as a list shows it', () => {
  const customer = customerView({ id: 'u1', displayName: 'Ada', email: null, locale: 'en' }, [
    { id: 'i1', customerId: 'u1', channel: 'webchat', channelUserId: 'v1', displayName: null, username: null, createdAt: T0 },
  ]);
  const lines = {
    lastMessage: { text: 'Hello', author: 'bot', createdAt: new Date(T0 + MIN).toISOString() },
    lastCustomerMessage: { text: 'Hi', createdAt: new Date(T0).toISOString() },
  };
  const cases: [string, ConversationRow, number][] = [
    ['queued, first response open', row({}), T0 + 5 * MIN],
    ['queued, first response breached', row({ priority: 'low' }), T0 + 30 * 24 * 60 * MIN],
    [
      'assigned, answered, snoozed, in a team',
      row({ status: 'assigned', assigneeId: 'a1', team: 't', firstRespondedAt: T0 + 2 * MIN, snoozedUntil: T0 + 60 * MIN }),
      T0 + 10 * MIN,
    ],
    ['resolved with a CSAT', row({ status: 'resolved', resolvedAt: T0 + 20 * MIN, csat: 5, subject: 'Order' }), T0 + 90 * MIN],
    ['never handed off', row({ status: 'bot', slaStartedAt: null, waitingSince: null }), T0],
  ];
  for (const [name, c, now] of cases) {
    it(`has the keys, in order, and values of the annotated view with the list's fields after it: ${name}`, () => {
      const annotations = { labels: ['vip'], participantIds: ['a2'] };
      const composed = Object.assign(conversationView(c, policy, now, annotations), { customer, ...lines });
      const item = conversationListItem(c, policy, now, annotations, customer, lines);
      expect(Object.keys(item)).toEqual(Object.keys(composed));
      expect(JSON.stringify(item)).toBe(JSON.stringify(composed));
    });
  }

  it('shows a missing customer and missing lines as null', () => {
    const item = conversationListItem(row({}), policy, T0, { labels: [], participantIds: [] }, null, {
      lastMessage: null,
      lastCustomerMessage: null,
    });
    expect(item).toMatchObject({ customer: null, lastMessage: null, lastCustomerMessage: null, labels: [], participantIds: [] });
  });
});
