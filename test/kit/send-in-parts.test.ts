import { describe, expect, it } from 'vitest';
import type { ChannelStateStore } from '../../src/domain/state-port.js';
import { sendInParts } from '../../src/kit/send-in-parts.js';

function mapState(): ChannelStateStore & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return { data, get: async (k) => data.get(k), set: async (k, v) => void data.set(k, v) };
}

describe('sendInParts', () => {
  it('sends every part in order and returns the first part’s id', async () => {
    const sent: string[] = [];
    const first = await sendInParts(['a', 'b', 'c'], 'chan:1', mapState(), async (text, i) => {
      sent.push(text);
      return `id-${i}`;
    });
    expect(first).toBe('id-0');
    expect(sent).toEqual(['a', 'b', 'c']);
  });

  it('after a failure in the middle, a retry sends only the parts not yet delivered and still returns the first id', async () => {
    const state = mapState();
    const sent: string[] = [];
    let failOn: number | undefined = 1;
    const sendPart = async (text: string, i: number) => {
      if (i === failOn) throw new Error('429 Too Many Requests');
      sent.push(text);
      return `id-${i}-${sent.length}`;
    };
    await expect(sendInParts(['a', 'b', 'c'], 'chan:7', state, sendPart)).rejects.toThrow('429');
    failOn = undefined;
    expect(await sendInParts(['a', 'b', 'c'], 'chan:7', state, sendPart)).toBe('id-0-1');
    expect(sent).toEqual(['a', 'b', 'c']);
  });

  it('keeps no progress for a reply that fits in one part', async () => {
    const state = mapState();
    expect(await sendInParts(['only'], 'chan:9', state, async () => 'x')).toBe('x');
    expect(state.data.size).toBe(0);
  });
});
