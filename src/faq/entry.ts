/** One FAQ entry in one locale, as loaded from `faq/<locale>/<id>.md`. */
import { z } from 'zod';
import type { FaqEntryView } from './matcher.js';

export const ENTRY_ID = /^[a-z0-9][a-z0-9_-]*$/;

export const frontMatterSchema = z.object({
  id: z
    .string({ error: (issue) => (issue.input === undefined ? 'id is required' : 'id must be text') })
    .regex(ENTRY_ID, 'id must be lower-case letters, digits, "-" or "_" (it names the file)'),
  questions: z
    .array(z.string({ error: 'each question must be text' }).trim().min(1, 'a question is empty'), {
      error: 'questions must be a list of example questions',
    })
    .min(1, 'questions needs at least one example question'),
  tags: z.array(z.string()).default([]),
  team: z.string().min(1).optional(),
});

/** An entry as loaded: what matchers show, plus where it came from for messages. */
export interface FaqEntry extends FaqEntryView {
  path?: string;
}

export interface FaqProblem {
  path: string;
  line: number;
  message: string;
}

export function formatProblem(p: FaqProblem): string {
  return `${p.path}:${p.line}: ${p.message}`;
}
