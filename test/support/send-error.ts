import { expect } from 'vitest';
import { ChannelError } from '../../src/domain/errors.js';

/** The ChannelError a send rejects with; fails the test if it resolves or rejects with anything else. */
export async function sendError(p: Promise<unknown>): Promise<ChannelError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ChannelError);
  return err as ChannelError;
}
