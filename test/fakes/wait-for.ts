/**
 * Resolves once `predicate` holds, checked whenever a fake signals a change through `listeners`
 * and every 10 ms; rejects after `timeoutMs` naming the fake and what it waited for.
 */
export function waitForChange(listeners: Set<() => void>, predicate: () => boolean, timeoutMs: number, label: string): Promise<void> {
  if (predicate()) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const check = () => {
      if (!predicate()) return;
      cleanup();
      resolve();
    };
    const poll = setInterval(check, 10);
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`${label}: timed out after ${timeoutMs} ms`));
    }, timeoutMs);
    const cleanup = () => {
      clearInterval(poll);
      clearTimeout(timer);
      listeners.delete(check);
    };
    listeners.add(check);
  });
}
