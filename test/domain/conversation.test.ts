import { describe, expect, it } from 'vitest';
import { transition, botMaySpeak } from '../../src/domain/conversation.js';
import { ConflictError } from '../../src/domain/errors.js';

describe('conversation state machine', () => {
  it('walks bot → queued → assigned → queued → assigned → resolved → reopened → closed', () => {
    let s = transition({ status: 'bot', assigneeId: null }, { type: 'handoff' });
    expect(s).toEqual({ status: 'queued', assigneeId: null });
    s = transition(s, { type: 'claim', agentId: 'a' });
    expect(s).toEqual({ status: 'assigned', assigneeId: 'a' });
    s = transition(s, { type: 'release' });
    expect(s).toEqual({ status: 'queued', assigneeId: null });
    s = transition(s, { type: 'claim', agentId: 'b' });
    s = transition(s, { type: 'transfer', agentId: 'c' });
    expect(s).toEqual({ status: 'assigned', assigneeId: 'c' });
    s = transition(s, { type: 'resolve' });
    expect(s.status).toBe('resolved');
    expect(transition(s, { type: 'reopen', agentId: 'c' })).toEqual({ status: 'assigned', assigneeId: 'c' });
    expect(transition(s, { type: 'reopen', agentId: null })).toEqual({ status: 'queued', assigneeId: null });
    s = transition(s, { type: 'close' });
    expect(s.status).toBe('closed');
    expect(transition(s, { type: 'reopen' })).toEqual({ status: 'bot', assigneeId: null });
  });

  it('refuses a claim on a conversation another agent holds, and impossible moves', () => {
    const held = { status: 'assigned' as const, assigneeId: 'a' };
    expect(() => transition(held, { type: 'claim', agentId: 'b' })).toThrow(ConflictError);
    expect(transition(held, { type: 'claim', agentId: 'a' })).toBe(held);
    expect(() => transition({ status: 'bot', assigneeId: null }, { type: 'release' })).toThrow(/cannot release/);
    expect(() => transition({ status: 'queued', assigneeId: null }, { type: 'handoff' })).toThrow(ConflictError);
    expect(() => transition({ status: 'closed', assigneeId: null }, { type: 'resolve' })).toThrow(ConflictError);
  });

  it('lets only the bot speak automatically', () => {
    expect(botMaySpeak('bot')).toBe(true);
    for (const s of ['queued', 'assigned', 'resolved', 'closed'] as const) expect(botMaySpeak(s)).toBe(false);
  });
});
