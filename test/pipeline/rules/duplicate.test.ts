import { describe, expect, it } from 'vitest';
import { duplicate } from '../../../src/pipeline/rules/duplicate.js';
import { useMemoryStore } from '../../support/memory-store.js';
import { ruleContext } from './context.js';

describe('rule: duplicate', () => {
  const store = useMemoryStore();

  it('decides "duplicate" when another delivery stored the message first', async () => {
    expect(await store.tx(async (r) => duplicate(await ruleContext(r, { text: 'hello', stored: false })))).toEqual({ kind: 'duplicate' });
  });

  it('passes a message this delivery stored', async () => {
    expect(await store.tx(async (r) => duplicate(await ruleContext(r, { text: 'hello' })))).toBeUndefined();
  });
});
