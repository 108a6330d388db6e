/**
 * Hot reload: when anything under the knowledge-base directory changes, rebuild the index in a
 * worker thread and hand it over when it is ready; until then the previous index keeps
 * answering, and matching is never stalled by the training. A knowledge base with errors, or a
 * build that fails, is logged and ignored, so customers keep being answered from the last good
 * one while an editor is half-way through a change.
 */
import { watch, type FSWatcher } from 'node:fs';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../log.js';
import type { EngineOptions } from './faq-index.js';
import type { LoadedFaq } from './load-faq.js';
import { FaqBuilder } from './load-in-worker.js';

export interface FaqWatcher {
  close(): void;
}

export function watchFaq(
  dir: string,
  onReload: (matcher: LoadedFaq['matcher']) => void,
  log: Logger,
  opts: Partial<EngineOptions> & { debounceMs?: number } = {},
): FaqWatcher {
  const watchers = new Map<string, FSWatcher>();
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  let again = false;
  let closed = false;
  const builder = new FaqBuilder();
  const { debounceMs, ...engine } = opts;

  const schedule = () => {
    if (closed) return;
    clearTimeout(timer);
    timer = setTimeout(reload, debounceMs ?? 200);
  };

  const reload = async () => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      const { matcher, errors } = await builder.build(dir, engine);
      if (closed) return;
      if (errors.length > 0 || !matcher) {
        log.error('FAQ reload refused; still answering from the previous knowledge base', { dir, errors });
      } else {
        onReload(matcher);
        log.info('FAQ reloaded', { dir, entries: matcher.entryIds.length });
      }
    } catch (err) {
      if (closed) return;
      log.error('FAQ reload failed; still answering from the previous knowledge base', { dir, err });
    } finally {
      running = false;
      follow();
      if (again) {
        again = false;
        schedule();
      }
    }
  };

  // fs.watch is not recursive on every platform Node 20 runs on, so each locale folder gets its own.
  const follow = () => {
    if (closed) return;
    const wanted = new Set([dir]);
    try {
      for (const d of readdirSync(dir, { withFileTypes: true })) if (d.isDirectory()) wanted.add(join(dir, d.name));
    } catch {
      // The directory is being replaced; the next event re-establishes the watchers.
    }
    for (const [path, w] of watchers) {
      if (!wanted.has(path)) {
        w.close();
        watchers.delete(path);
      }
    }
    for (const path of wanted) {
      if (watchers.has(path)) continue;
      try {
        const w = watch(path, schedule);
        w.on('error', () => {
          w.close();
          watchers.delete(path);
          schedule();
        });
        watchers.set(path, w);
      } catch (err) {
        log.warn('cannot watch FAQ folder', { path, err });
      }
    }
  };

  follow();
  return {
    close() {
      closed = true;
      clearTimeout(timer);
      builder.close();
      for (const w of watchers.values()) w.close();
      watchers.clear();
    },
  };
}
