import { describe, expect, it } from 'vitest';
import { decodeEvent, decodeLogged, EventDecodeError, type DomainEvent } from '../../src/domain/events.js';

const row = (type: string, data: unknown, seq = 1) => ({ seq, type, data: typeof data === 'string' ? data : JSON.stringify(data) });

describe('typed events', () => {
  it('reads back every type as written', () => {
    const written: DomainEvent[] = [
      { type: 'message', data: { messageId: 'm1', direction: 'in', author: 'customer' } },
      { type: 'status', data: { status: 'assigned', assigneeId: 'ann', action: 'claim', by: 'ann' } },
      { type: 'csat', data: { score: 5, assigneeId: null } },
      { type: 'draft', data: { draftId: 'd1', kind: 'llm' } },
      { type: 'delivery', data: { messageId: 'm2', status: 'sent' } },
      { type: 'delivery', data: { messageId: 'm3', status: 'failed', error: 'blocked: 403' } },
      { type: 'note', data: { messageId: 'm4', agentId: 'ann' } },
    ];
    for (const e of written) expect(decodeEvent(row(e.type, e.data))).toEqual(e);
  });

  it('reads status events written before action/by as the action they recorded', () => {
    const legacy = (reason: string, status: string) => decodeEvent(row('status', { status, reason })).data;
    expect(legacy('opened', 'bot')).toEqual({ status: 'bot', assigneeId: null, action: 'open', by: 'customer' });
    expect(legacy('handoff', 'queued')).toMatchObject({ action: 'handoff', by: 'customer' });
    expect(decodeEvent(row('status', { status: 'assigned', assigneeId: 'ann', reason: 'reopened' })).data).toEqual({
      status: 'assigned',
      assigneeId: 'ann',
      action: 'reopen',
      by: 'customer',
    });
    expect(legacy('csat', 'closed')).toMatchObject({ action: 'close', by: 'customer' });
    expect(legacy('timeout', 'closed')).toMatchObject({ action: 'close', by: 'system' });
  });

  it('refuses what it cannot vouch for, saying which event and why', () => {
    expect(() => decodeEvent(row('mystery', {}, 7))).toThrow(EventDecodeError);
    expect(() => decodeEvent(row('mystery', {}, 7))).toThrow(/event 7 \(mystery\)/);
    expect(() => decodeEvent(row('csat', { score: 9, assigneeId: null }))).toThrow(/score/);
    expect(() => decodeEvent(row('status', { status: 'limbo', assigneeId: null, action: 'open', by: 'x' }))).toThrow(/status/);
    expect(() => decodeEvent(row('status', { status: 'bot', reason: 'whim' }))).toThrow(/action/);
    expect(() => decodeEvent(row('message', '{not json', 3))).toThrow(/event 3 \(message\): data is not JSON/);
  });

  it('a logged event keeps its sequence, conversation and time', () => {
    const e = decodeLogged({ seq: 4, conversationId: 'c1', type: 'note', data: '{"messageId":"m","agentId":"a"}', createdAt: 99 });
    expect(e).toEqual({ seq: 4, conversationId: 'c1', createdAt: 99, type: 'note', data: { messageId: 'm', agentId: 'a' } });
  });
});
