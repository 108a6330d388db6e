/**
 * Runs `task` every `everyMs` (and once after `firstAfterMs`, when given), never two runs at once:
 * a slow run (a large backlog, a slow database) is not overlapped, the ticks during it are skipped.
 * The timers are unref'd, so they never keep the process alive. Returns the stop function.
 */
export function runEvery(
  task: () => Promise<unknown>,
  opts: { everyMs: number; firstAfterMs?: number; onError: (err: unknown) => void },
): () => void {
  let running = false;
  const run = () => {
    if (running) return;
    running = true;
    task()
      .catch(opts.onError)
      .finally(() => (running = false));
  };
  const timer = setInterval(run, opts.everyMs);
  timer.unref();
  const first = opts.firstAfterMs === undefined ? undefined : setTimeout(run, opts.firstAfterMs);
  first?.unref();
  return () => {
    clearInterval(timer);
    clearTimeout(first);
  };
}
