/**
 * Rate limits count in fixed one-minute windows aligned to the clock; a test that counts
 * requests waits until the current window has `needMs` left, so a window turning over in the
 * middle cannot reset its count.
 */
export async function awayFromWindowEdge(needMs = 8_000, windowMs = 60_000): Promise<void> {
  const left = windowMs - (Date.now() % windowMs);
  if (left < needMs) await new Promise((r) => setTimeout(r, left + 50));
}
