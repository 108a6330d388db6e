/**
 * loadFaq off the main thread: the index is built in a worker thread and only handed over when
 * it is ready, so a hot reload of a large knowledge base never stalls matching.
 *
 * The worker file sits next to this module with the same extension: `.js` when running the
 * compiled build, `.ts` under tsx (the service in development, the tests), where the worker
 * registers tsx's loader first.
 */
import { createRequire } from 'node:module';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { BuildReply, BuildRequest } from './build-worker.js';
import { FaqIndex, type EngineOptions } from './faq-index.js';

export interface Built {
  /** Undefined when the knowledge base has errors (then `errors` says which). */
  matcher: FaqIndex | undefined;
  errors: string[];
}

/** One worker thread, started on the first build and kept for the next ones until close(). */
export class FaqBuilder {
  private worker: Worker | undefined;
  private next = 1;
  private readonly pending = new Map<number, { resolve: (b: Built) => void; reject: (e: Error) => void }>();

  /** Resolves with the built index, or rejects when the build failed (the worker stopped, or threw). */
  build(dir: string, opts: Partial<EngineOptions> = {}): Promise<Built> {
    const worker = (this.worker ??= this.start());
    const id = this.next++;
    // Kept alive while a build is under way, not while idle.
    worker.ref();
    return new Promise<Built>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, dir, opts } satisfies BuildRequest);
    }).finally(() => {
      if (this.pending.size === 0) worker.unref();
    });
  }

  close(): void {
    const worker = this.worker;
    this.worker = undefined;
    this.fail(new Error('FAQ index build cancelled'));
    void worker?.terminate();
  }

  private start(): Worker {
    const worker = startWorker();
    worker.on('message', (reply: BuildReply) => {
      const p = this.pending.get(reply.id);
      if (!p) return;
      this.pending.delete(reply.id);
      if (!reply.ok) p.reject(new Error(`FAQ index build failed: ${reply.error}`));
      else p.resolve({ matcher: reply.errors.length > 0 ? undefined : FaqIndex.fromState(reply.state), errors: reply.errors });
    });
    const lost = (err: Error) => {
      if (this.worker === worker) this.worker = undefined;
      this.fail(err);
    };
    worker.on('error', lost);
    worker.on('exit', (code) => lost(new Error(`FAQ index build stopped (worker exit code ${code})`)));
    return worker;
  }

  private fail(err: Error): void {
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }
}

/** One build in a worker of its own (the builder closed when done). */
export async function loadFaqInWorker(dir: string, opts: Partial<EngineOptions> = {}): Promise<Built> {
  const builder = new FaqBuilder();
  try {
    return await builder.build(dir, opts);
  } finally {
    builder.close();
  }
}

/**
 * Compiled, the worker is plain JavaScript. Under tsx it is TypeScript, and Node 20 does not
 * apply a loader given in a worker's execArgv (nodejs/node#47747), so a two-line script
 * registers tsx's loader in the worker through tsx's API and then imports the worker file.
 */
function startWorker(): Worker {
  const ext = extname(fileURLToPath(import.meta.url));
  const url = new URL(`./build-worker${ext}`, import.meta.url);
  if (ext !== '.ts') return new Worker(url);
  // tsx's package exports map `tsx/esm/api` to this file for `import` (require.resolve would give the CommonJS one).
  const api = pathToFileURL(join(dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist/esm/api/index.mjs')).href;
  const boot = `import(${JSON.stringify(api)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(url.href)}); });`;
  return new Worker(boot, { eval: true });
}
