/**
 * Resolves once `/readyz` answers 200. startSwitchboard returns as soon as the server listens and
 * builds the FAQ index in a worker thread after that: a figure timed during the build measures the
 * build (a core taken, its CPU counted in process.cpuUsage(), messages held until it ends).
 */
export async function untilReady(baseUrl: string, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while ((await fetch(`${baseUrl}/readyz`)).status !== 200) {
    if (Date.now() > until) throw new Error(`${baseUrl} did not become ready in ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
