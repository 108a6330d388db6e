import { ValidationError } from './errors.js';

/** The longest label, in characters (a label is a tag, not a note). */
export const MAX_LABEL_LENGTH = 50;
/** Most labels one conversation carries. */
export const MAX_LABELS_PER_CONVERSATION = 20;
/** The label the pipeline adds to a conversation whose customer complains (src/pipeline/complaint.ts). */
export const COMPLAINT_LABEL = 'complaint';

/** Letters and digits of any script (CJK included), then those or a space, `-`, `_`, `.`, `:`, `/`. */
const SHAPE = /^[\p{L}\p{N}][\p{L}\p{N}\p{M} _\-.:/]*$/u;

/**
 * The one form a label is stored, compared and filtered in: NFKC (full-width ＶＩＰ is VIP),
 * trimmed, inner runs of spaces as one, lower-cased. Throws ValidationError naming `field`.
 */
export function normalizeLabel(raw: string, field = 'label'): string {
  const label = raw.normalize('NFKC').trim().replace(/\s+/gu, ' ').toLowerCase();
  if (label === '') throw new ValidationError(`${field}: must not be empty`, field);
  if ([...label].length > MAX_LABEL_LENGTH) throw new ValidationError(`${field}: must be at most ${MAX_LABEL_LENGTH} characters`, field);
  if (!SHAPE.test(label))
    throw new ValidationError(`${field}: letters, digits, spaces and - _ . : / only, starting with a letter or digit`, field);
  return label;
}
