import { describe, expect, it } from 'vitest';
import { startCommand } from '../../../src/pipeline/rules/start-command.js';
import { greeting } from '../../../src/pipeline/replies.js';
import { useMemoryStore } from '../../support/memory-store.js';
import { outgoing, ruleContext } from './context.js';

describe('rule: /start', () => {
  const store = useMemoryStore();

  it('greets instead of asking the FAQ', async () => {
    await store.tx(async (r) => {
      const ctx = await ruleContext(r, { text: '/start@switchboard_bot' });
      expect(await startCommand(ctx)).toEqual({ kind: 'replied' });
      expect(await outgoing(r, ctx.conversation.id)).toEqual([greeting('en')]);
    });
  });

  it('passes other text, and /start in a conversation a person owns', async () => {
    await store.tx(async (r) => {
      expect(await startCommand(await ruleContext(r, { text: 'start' }))).toBeUndefined();
      expect(await startCommand(await ruleContext(r, { text: '/start', setup: [{ type: 'handoff' }] }))).toBeUndefined();
    });
  });
});
