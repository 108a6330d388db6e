import { describe, expect, it } from 'vitest';
import { sseResponse, StreamLimits, type SsePage } from '../../src/kit/sse.js';

/** Reads a response body until `until` matches the text so far, then cancels it (the client leaving). */
async function readUntil(res: Response, until: (text: string) => boolean): Promise<string> {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  while (!until(text)) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
  }
  await reader.cancel();
  return text;
}

const ids = (text: string) => [...text.matchAll(/^id: (\d+)\nevent:/gm)].map((m) => Number(m[1]));
const ev = (id: number) => ({ id, event: 'message', data: { n: id } });

describe('sseResponse', () => {
  it('sends the gap from the source, then live pages, each event once and in order, even when they overlap', async () => {
    let push: ((p: SsePage) => void) | undefined;
    let closed = 0;
    const db = [1, 2, 3, 4, 5, 6].map(ev);
    const res = sseResponse(
      {
        // The database holds 1–6; the live side pushes 5–7 while the gap is still being read.
        read: async (from) => {
          const page = db.filter((e) => e.id > from).slice(0, 2);
          if (from === 2) push!({ events: [ev(5), ev(6), ev(7)], cursor: 7 });
          return { events: page, cursor: page.at(-1)?.id ?? from };
        },
        watch: (p) => {
          push = p;
          return () => (push = undefined);
        },
        position: () => 7,
      },
      0,
      { heartbeatMs: 60_000, idleMs: 60_000, onClose: () => closed++ },
    );
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const pushLater = new Promise<void>((resolve) => {
      const wait = () => (push ? setTimeout(() => (push!({ events: [ev(7), ev(8)], cursor: 9 }), resolve()), 50) : setTimeout(wait, 5));
      wait();
    });
    const text = await readUntil(res, (t) => ids(t).includes(8));
    await pushLater;
    expect(text.startsWith('retry: ')).toBe(true);
    expect(ids(text)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(push).toBeUndefined();
    expect(closed).toBe(1);
  });

  it('moves the id past events the client does not see, and resumes after a cursor', async () => {
    const res = sseResponse(
      {
        read: async (from) => (from < 10 ? { events: [ev(4)].filter((e) => e.id > from), cursor: 10 } : { events: [], cursor: from }),
        watch: () => () => {},
        position: () => 10,
      },
      3,
      { heartbeatMs: 60_000, idleMs: 60_000 },
    );
    const text = await readUntil(res, (t) => t.includes(': cursor'));
    expect(ids(text)).toEqual([4]);
    expect(text).toContain('id: 10\n: cursor\n\n');
  });

  it('closes a stream idle past its timeout', async () => {
    let closed = false;
    const res = sseResponse({ read: async (from) => ({ events: [], cursor: from }), watch: () => () => {}, position: () => 0 }, 0, {
      heartbeatMs: 500,
      idleMs: 1500,
      onClose: () => (closed = true),
    });
    const started = Date.now();
    const text = await readUntil(res, () => false);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(text).toContain(': ping\n\n');
    expect(closed).toBe(true);
  });
});

describe('StreamLimits', () => {
  it('takes a slot under every key or none, and gives it back once', () => {
    const limits = new StreamLimits();
    const a = limits.acquire([
      ['s', 1],
      ['ip', 2],
    ]);
    expect(a).toBeDefined();
    expect(
      limits.acquire([
        ['s', 1],
        ['ip', 2],
      ]),
    ).toBeUndefined();
    // The refused acquire took nothing under `ip`.
    const b = limits.acquire([
      ['t', 1],
      ['ip', 2],
    ]);
    expect(b).toBeDefined();
    expect(limits.acquire([['ip', 2]])).toBeUndefined();
    a!();
    a!();
    expect(limits.acquire([['ip', 2]])).toBeDefined();
    expect(limits.acquire([['ip', 2]])).toBeUndefined();
  });
});
