/**
 * Worker-thread entry: loads and builds an index on request (the training and calibration take
 * seconds on a large knowledge base) and hands it back as typed arrays, transferred rather than
 * copied, so the thread that serves customers only pays for rebuilding a few maps. The worker
 * stays up between requests, so a reload does not pay for starting it. See load-in-worker.ts.
 */
import { parentPort } from 'node:worker_threads';
import { formatProblem } from './entry.js';
import { FaqIndex, type EngineOptions } from './faq-index.js';
import { loadEntries } from './load-entries.js';

export interface BuildRequest {
  id: number;
  dir: string;
  opts: Partial<EngineOptions>;
}

export type BuildReply =
  { id: number; ok: true; state: ReturnType<FaqIndex['state']>['state']; errors: string[] } | { id: number; ok: false; error: string };

parentPort!.on('message', (req: BuildRequest) => void build(req));

async function build({ id, dir, opts }: BuildRequest): Promise<void> {
  try {
    const kb = await loadEntries(dir);
    const errors = kb.problems.map(formatProblem);
    // A knowledge base with errors is refused anyway: do not spend the training on it.
    const index =
      errors.length > 0 ? new FaqIndex([], new Map(), { ...opts, calibrate: false }) : new FaqIndex(kb.entries, kb.synonyms, opts);
    const { state, transfer } = index.state();
    parentPort!.postMessage({ id, ok: true, state, errors } satisfies BuildReply, transfer);
  } catch (err) {
    parentPort!.postMessage({ id, ok: false, error: err instanceof Error ? (err.stack ?? err.message) : String(err) } satisfies BuildReply);
  }
}
