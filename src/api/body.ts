import type { Context } from 'hono';
import type { z } from 'zod';
import { ValidationError } from '../domain/errors.js';

/** Parses a JSON body with a zod schema; a bad body is a 400 naming the field. */
export async function parseBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
  let raw: unknown;
  try {
    const text = await c.req.text();
    raw = text === '' ? {} : JSON.parse(text);
  } catch {
    throw new ValidationError('body is not valid JSON');
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.join('.') || 'body';
    throw new ValidationError(`${field}: ${issue.message}`, field);
  }
  return parsed.data;
}
