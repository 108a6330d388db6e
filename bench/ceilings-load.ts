/**
 * The load generator of `npm run bench:ceilings`, run in a worker thread so that the server
 * under test (switchboard or its hello-world peer, in the main thread) has the event loop to
 * itself, as it would in production. Started by `loadWorker()` in ceilings-http.ts.
 */
import { parentPort, workerData } from 'node:worker_threads';

export type LoadJob =
  | {
      kind: 'requests';
      /** Each request is `requests[i % requests.length]`. */
      requests: { url: string; method: string; headers: Record<string, string>; body?: string }[];
      total: number;
      concurrency: number;
      expectStatus: number;
    }
  | {
      kind: 'replies';
      base: string;
      customers: { sessionId: string; secret: string }[];
      messagesEach: number;
      text: string;
    };

export interface LoadResult {
  seconds: number;
  /** Per request (requests) or per message until its reply arrived on the stream (replies), in ms. */
  latencies: number[];
  errors: number;
}

async function requests(job: Extract<LoadJob, { kind: 'requests' }>): Promise<LoadResult> {
  const latencies: number[] = [];
  let next = 0;
  let errors = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: job.concurrency }, async () => {
      for (let i = next++; i < job.total; i = next++) {
        const r = job.requests[i % job.requests.length]!;
        const t = performance.now();
        const send = () => fetch(r.url, { method: r.method, headers: r.headers, body: r.body?.replace('#', String(i)) });
        // A kept-alive socket the server closed as it was reused: sent again (web chat dedupes by clientMessageId).
        const res = await send().catch(send);
        await res.arrayBuffer();
        if (res.status !== job.expectStatus) errors++;
        latencies.push(performance.now() - t);
      }
    }),
  );
  return { seconds: (performance.now() - started) / 1000, latencies, errors };
}

/** Each customer keeps its widget's event stream open, says something, and waits for the reply to appear on it. */
async function replies(job: Extract<LoadJob, { kind: 'replies' }>): Promise<LoadResult> {
  const latencies: number[] = [];
  let errors = 0;
  const started = performance.now();
  await Promise.all(
    job.customers.map(async (c) => {
      const controller = new AbortController();
      const res = await fetch(`${job.base}/webchat/sessions/${c.sessionId}/events?secret=${encodeURIComponent(c.secret)}`, {
        signal: controller.signal,
      });
      const reader = res.body!.getReader();
      const decoder = new TextDecoder();
      let buf = '';
      /** Resolves when an outbound item arrives on the stream. */
      const nextReply = async () => {
        for (;;) {
          let idx;
          while ((idx = buf.indexOf('\n\n')) >= 0) {
            const block = buf.slice(0, idx);
            buf = buf.slice(idx + 2);
            const data = block
              .split('\n')
              .filter((l) => l.startsWith('data: '))
              .map((l) => l.slice(6))
              .join('');
            if (data && (JSON.parse(data) as { direction?: string }).direction === 'out') return;
          }
          const { value, done } = await reader.read();
          if (done) throw new Error('stream ended');
          buf += decoder.decode(value, { stream: true });
        }
      };
      for (let i = 0; i < job.messagesEach; i++) {
        const t = performance.now();
        const reply = nextReply();
        const post = await fetch(`${job.base}/webchat/sessions/${c.sessionId}/messages`, {
          method: 'POST',
          headers: { authorization: `Bearer ${c.secret}`, 'content-type': 'application/json' },
          body: JSON.stringify({ text: job.text, clientMessageId: `m${i}` }),
        });
        await post.arrayBuffer();
        if (post.status !== 202) errors++;
        await reply;
        latencies.push(performance.now() - t);
      }
      controller.abort();
    }),
  );
  return { seconds: (performance.now() - started) / 1000, latencies, errors };
}

if (parentPort) {
  const job = workerData as LoadJob;
  const result = await (job.kind === 'requests' ? requests(job) : replies(job));
  parentPort.postMessage(result);
}
