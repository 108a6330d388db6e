/**
 * The load generator of `npm run bench:ceilings`, run in a worker thread so that the server
 * under test (switchboard or its hello-world peer, in the main thread) has the event loop to
 * itself, as it would in production. Started by `load()` in ceilings.ts.
 *
 * Every simulated client holds its own kept-alive connection, opened and used once before the
 * timed part, as a browser holds its connection to the site: a shared pool that opens sockets as
 * requests overlap measured the server's accept queue instead (Node accepts one connection per
 * turn of a busy event loop, so the 50th new socket waited 50 turns), and it did so for the
 * ceiling and for switchboard alike.
 */
import { parentPort, Worker, workerData } from 'node:worker_threads';
import { Agent, fetch } from 'undici';

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
      /**
       * Each customer waits between min and max ms before each message (its first one too, so
       * they do not all start in step), as people read the answer and type the next line; without
       * it every customer sends again the instant its reply arrives, a closed loop that measures
       * throughput (latency = customers ÷ replies per second) rather than what a customer waits.
       */
      pauseMs?: [number, number];
    };

export interface LoadResult {
  seconds: number;
  /** Per request (requests) or per message until its reply arrived on the stream (replies), in ms. */
  latencies: number[];
  errors: number;
}

/** One connection, kept alive for the run (the server's Keep-Alive hint still bounds it). */
const connection = () => new Agent({ connections: 1, pipelining: 1, keepAliveTimeout: 60_000, keepAliveMaxTimeout: 60_000 });

/** Opens the connection with a request that is not timed; both servers answer GET /healthz. */
async function warm(dispatcher: Agent, origin: string): Promise<void> {
  await (await fetch(`${origin}/healthz`, { dispatcher })).arrayBuffer();
}

async function requests(job: Extract<LoadJob, { kind: 'requests' }>): Promise<LoadResult> {
  const latencies: number[] = [];
  let next = 0;
  let errors = 0;
  const clients = Array.from({ length: job.concurrency }, connection);
  const origin = new URL(job.requests[0]!.url).origin;
  await Promise.all(clients.map((c) => warm(c, origin)));
  const started = performance.now();
  await Promise.all(
    clients.map(async (dispatcher) => {
      for (let i = next++; i < job.total; i = next++) {
        const r = job.requests[i % job.requests.length]!;
        const t = performance.now();
        const send = () => fetch(r.url, { method: r.method, headers: r.headers, body: r.body?.replace('#', String(i)), dispatcher });
        // A kept-alive socket the server closed as it was reused: sent again (web chat dedupes by clientMessageId).
        const res = await send().catch(send);
        await res.arrayBuffer();
        if (res.status !== job.expectStatus) errors++;
        latencies.push(performance.now() - t);
      }
    }),
  );
  await Promise.all(clients.map((c) => c.close()));
  return { seconds: (performance.now() - started) / 1000, latencies, errors };
}

/** Each customer keeps its widget's event stream open, says something, and waits for the reply to appear on it. */
async function replies(job: Extract<LoadJob, { kind: 'replies' }>): Promise<LoadResult> {
  const latencies: number[] = [];
  let errors = 0;
  // Every customer's stream open and its connection for messages warm before anyone's first message.
  let ready!: () => void;
  const allReady = new Promise<void>((resolve) => (ready = resolve));
  let waiting = job.customers.length;
  let started = 0;
  await Promise.all(
    job.customers.map(async (c) => {
      const controller = new AbortController();
      const stream = connection();
      const posts = connection();
      const res = await fetch(`${job.base}/webchat/sessions/${c.sessionId}/events?secret=${encodeURIComponent(c.secret)}`, {
        signal: controller.signal,
        dispatcher: stream,
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
      await warm(posts, job.base);
      if (--waiting === 0) {
        started = performance.now();
        ready();
      }
      await allReady;
      // A fixed sequence per customer, so every run and the one-customer peer pause alike.
      let seed = job.customers.indexOf(c) + 1;
      const pause = (): Promise<void> | undefined => {
        if (!job.pauseMs) return undefined;
        seed = (seed * 48271) % 2147483647;
        const [min, max] = job.pauseMs;
        return new Promise((resolve) => setTimeout(resolve, min + ((seed % 1000) / 1000) * (max - min)));
      };
      for (let i = 0; i < job.messagesEach; i++) {
        await pause();
        const t = performance.now();
        const reply = nextReply();
        const post = await fetch(`${job.base}/webchat/sessions/${c.sessionId}/messages`, {
          dispatcher: posts,
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
      await Promise.all([stream.destroy(), posts.close()]);
    }),
  );
  return { seconds: (performance.now() - started) / 1000, latencies, errors };
}

/** Runs one job in a worker thread of its own (this file), so the server under test keeps the main thread's event loop. */
export function load(job: LoadJob): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    // tsx's loader is not inherited by worker threads: the worker registers it before loading the TypeScript.
    const boot = `import { register } from ${JSON.stringify(import.meta.resolve('tsx/esm/api'))}; register(); await import(${JSON.stringify(import.meta.url)});`;
    const w = new Worker(new URL(`data:text/javascript,${encodeURIComponent(boot)}`), { workerData: job });
    w.once('message', (r: LoadResult) => {
      resolve(r);
      void w.terminate();
    });
    w.once('error', reject);
  });
}

if (parentPort) {
  const job = workerData as LoadJob;
  const result = await (job.kind === 'requests' ? requests(job) : replies(job));
  parentPort.postMessage(result);
}
