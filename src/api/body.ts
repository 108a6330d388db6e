import type { Context } from 'hono';
import { z } from 'zod';
import { ValidationError } from '../domain/errors.js';
import { checkText } from '../kit/clean-text.js';
import { readJson } from '../kit/read-body.js';

/** No agent API body needs more (the largest field is a 16 KB FAQ answer); the app-wide cap may be lower. */
const MAX_API_BODY_BYTES = 1024 * 1024;

/**
 * Parses a JSON body with a zod schema: read under a size cap (never held whole past it), valid
 * UTF-8, nested at most a few levels; a bad body is a 400 naming the field.
 */
export async function parseBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
  const raw = await readJson(c.req.raw, MAX_API_BODY_BYTES, {});
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.join('.') || 'body';
    throw new ValidationError(`${field}: ${issue.message}`, field);
  }
  return parsed.data;
}

/** A text field cleaned the one way every channel cleans text (src/kit/clean-text.ts), then at most `max` characters. */
export function cleanTextField(max: number) {
  return z
    .string()
    .transform((s, ctx) => {
      const checked = checkText(s);
      if (checked.ok) return checked.text;
      ctx.addIssue({ code: 'custom', message: checked.reason });
      return z.NEVER;
    })
    .pipe(z.string().max(max, `must be at most ${max} characters`));
}
