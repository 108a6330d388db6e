type Falsy = undefined | null | false;

/**
 * The one waiter of the tests: resolves with the first truthy value `check` returns, checked every
 * 50 ms and at once whenever something in `wake` is called (the fakes call theirs on each change);
 * throws after `ms` naming what it waited for.
 */
export async function eventually<T>(
  check: () => T | Falsy | Promise<T | Falsy>,
  ms = 10_000,
  what = 'condition',
  wake?: Set<() => void>,
): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    const left = until - Date.now();
    if (left <= 0) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await pause(Math.min(50, left), wake);
  }
}

function pause(ms: number, wake?: Set<() => void>): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      wake?.delete(done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    wake?.add(done);
  });
}
