import type { ChannelStateStore } from '../domain/state-port.js';

/**
 * Sends a reply that a platform takes only in parts, and returns the first part's id. Parts
 * already delivered are remembered under `progressKey` (the channel plus the outbox id), so a
 * retry after a failure in the middle continues where it stopped instead of repeating them.
 */
export async function sendInParts(
  parts: string[],
  progressKey: string,
  state: ChannelStateStore,
  sendPart: (text: string, index: number) => Promise<string>,
): Promise<string> {
  const saved = parts.length > 1 ? await state.get(progressKey) : undefined;
  const progress = saved ? (JSON.parse(saved) as { sent: number; first?: string }) : { sent: 0 };
  let first = progress.first;
  for (let i = progress.sent; i < parts.length; i++) {
    const id = await sendPart(parts[i]!, i);
    first ??= id;
    if (parts.length > 1) await state.set(progressKey, JSON.stringify({ sent: i + 1, first }));
  }
  return first!;
}
