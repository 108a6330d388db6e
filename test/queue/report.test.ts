import { describe, expect, it } from 'vitest';
import { decodeLogged, type DomainEvent, type LoggedEvent } from '../../src/domain/events.js';
import { summarize } from '../../src/queue/report.js';

const SINCE = Date.parse('2026-12-01T00:00:00Z');

/** A log written the way the app writes it (typed events, JSON in the data column), read back through the decoder. */
function log(
  ...entries: [conversationId: string, seconds: number, event: DomainEvent | { type: 'status'; legacy: object }][]
): LoggedEvent[] {
  return entries.map(([conversationId, seconds, e], i) =>
    decodeLogged({
      seq: i + 1,
      conversationId,
      createdAt: SINCE + seconds * 1000,
      type: e.type,
      data: JSON.stringify('legacy' in e ? e.legacy : e.data),
    }),
  );
}
const status = (
  s: 'bot' | 'queued' | 'assigned' | 'resolved' | 'closed',
  action: 'open' | 'handoff' | 'claim' | 'resolve' | 'close',
  by = 'customer',
): DomainEvent => ({
  type: 'status',
  data: { status: s, assigneeId: s === 'assigned' || s === 'resolved' ? 'ann' : null, action, by },
});
const agentMessage: DomainEvent = { type: 'message', data: { messageId: 'x', direction: 'out', author: 'agent' } };
const botMessage: DomainEvent = { type: 'message', data: { messageId: 'y', direction: 'out', author: 'bot' } };

describe('summarize (the operator report) over decoded events', () => {
  it('counts opened, hand-offs, deflection, first response, resolutions, delivery failures and ratings', () => {
    const events = log(
      ['served', 0, status('bot', 'open')],
      ['served', 1, botMessage],
      ['waiting', 0, status('bot', 'open')],
      ['waiting', 2, status('queued', 'handoff')],
      ['helped', 0, status('bot', 'open')],
      ['helped', 10, status('queued', 'handoff')],
      ['helped', 20, status('assigned', 'claim', 'ann')],
      ['helped', 40, agentMessage],
      ['helped', 50, agentMessage],
      ['helped', 60, status('resolved', 'resolve', 'ann')],
      ['helped', 61, { type: 'delivery', data: { messageId: 'z', status: 'failed', error: 'gone' } }],
      ['helped', 70, { type: 'csat', data: { score: 4, assigneeId: 'ann' } }],
      ['helped', 70, status('closed', 'close')],
    );
    expect(summarize(events, SINCE)).toEqual({
      since: '2026-12-01T00:00:00.000Z',
      conversationsOpened: 3,
      handedOff: 2,
      botDeflectionRate: 0.333,
      resolved: 1,
      firstResponseSeconds: { median: 30, p90: 30, answered: 1, waiting: 1 },
      deliveryFailures: 1,
      csat: { responses: 1, average: 4 },
    });
  });

  it('counts events written before status changes carried action/by the same way', () => {
    const events = log(
      ['old', 0, { type: 'status', legacy: { status: 'bot', reason: 'opened' } }],
      ['old', 5, { type: 'status', legacy: { status: 'queued', reason: 'handoff' } }],
      ['old', 9, agentMessage],
    );
    expect(summarize(events, SINCE)).toMatchObject({
      conversationsOpened: 1,
      handedOff: 1,
      botDeflectionRate: 0,
      firstResponseSeconds: { median: 4, answered: 1, waiting: 0 },
    });
  });

  it('has no rates when nothing happened', () => {
    expect(summarize([], SINCE)).toMatchObject({
      conversationsOpened: 0,
      botDeflectionRate: null,
      csat: { responses: 0, average: null },
      firstResponseSeconds: { median: null },
    });
  });
});
