import { z } from 'zod';
import { ValidationError } from '../domain/errors.js';

/** Cursor pagination for every list that can grow: `?limit&cursor` in, `nextCursor` (null on the last page) out. */

export const MAX_PAGE = 200;
export const DEFAULT_PAGE = 50;

const limitSchema = z.coerce.number().int().min(1).max(MAX_PAGE).default(DEFAULT_PAGE);

export function pageLimit(raw: string | undefined): number {
  const limit = limitSchema.safeParse(raw);
  if (!limit.success) throw new ValidationError(`limit: must be a whole number from 1 to ${MAX_PAGE}`, 'limit');
  return limit.data;
}

/**
 * A cursor names the last row of the page before (its sort key), never an offset, so rows added
 * meanwhile neither repeat nor hide rows on later pages. It is opaque to clients: base64url JSON.
 */
export function encodeCursor(key: unknown): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor<T>(raw: string | undefined, schema: z.ZodType<T>): T | undefined {
  if (raw === undefined || raw === '') return undefined;
  try {
    return schema.parse(JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')));
  } catch {
    throw new ValidationError('cursor: must be a nextCursor this endpoint returned', 'cursor');
  }
}
