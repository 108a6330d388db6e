/**
 * The one normalisation of text a person sends us, for every channel and the agent API.
 *
 * - Text that is not well-formed Unicode (a lone UTF-16 surrogate; invalid UTF-8 is refused
 *   where bodies are decoded, see read-body.ts) is refused, never repaired: over HTTP a 400, on a
 *   platform channel the message is not stored and the refusal is logged.
 * - NFC; CR LF and lone CR become LF; NUL and every other control character except LF and TAB
 *   are removed (C0, DEL, C1).
 * - A run of more than MAX_COMBINING_RUN combining marks on one base keeps the first ones only
 *   ("Zalgo" text); real scripts stay well below.
 * - Text that is empty once whitespace and invisible characters (zero-width, bidi marks, fillers,
 *   variation selectors, tags) are set aside is refused. Those characters stay in text that has
 *   visible content: ZWJ joins emoji, ZWNJ is spelling in Persian, bidi marks help RTL writers.
 * Names (agents, customers' display names) are single-line: line breaks and tabs become spaces,
 * runs of spaces collapse, and bidi controls are refused (agents) or removed (platform names),
 * since an override in a name can make the console show another text than the one stored.
 */

export const MAX_COMBINING_RUN = 4;

// Cc: C0 controls, DEL, C1 controls (text keeps LF and TAB). Matching them is the point here.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;
// eslint-disable-next-line no-control-regex
const CONTROL_IN_NAME = /[\u0000-\u001F\u007F-\u009F]/g;
const BIDI_CONTROL = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/;
// Invisible characters, some of them combining (U+034F, variation selectors): listed one by one, never joined to a base.
const INVISIBLE =
  // eslint-disable-next-line no-misleading-character-class
  /[\s\u00AD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180B-\u180F\u200B-\u200F\u202A-\u202E\u2060-\u206F\u2800\u3164\uFE00-\uFE0F\uFEFF\uFFA0]|\u{E0001}|[\u{E0020}-\u{E007F}]|[\u{E0100}-\u{E01EF}]/gu;
const MARK = /\p{M}/u;
// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const LONG_MARK_RUN = new RegExp(`\\p{M}{${MAX_COMBINING_RUN + 1}}`, 'u');

export type TextCheck = { ok: true; text: string } | { ok: false; reason: string };

/** Message and note text: the cleaned form, or why it is refused. */
export function checkText(raw: string): TextCheck {
  if (LONE_SURROGATE.test(raw)) return { ok: false, reason: 'is not valid Unicode (lone surrogate)' };
  const text = capCombiningRuns(raw.normalize('NFC').replace(/\r\n?/g, '\n').replace(CONTROL, '')).trim();
  if (isBlank(text)) return { ok: false, reason: 'must not be empty' };
  return { ok: true, text };
}

/** A name shown to people: single line, no controls; bidi controls refused (`bidi: 'refuse'`) or removed. */
export function checkName(raw: string, bidi: 'refuse' | 'strip'): TextCheck {
  if (LONE_SURROGATE.test(raw)) return { ok: false, reason: 'is not valid Unicode (lone surrogate)' };
  let name = raw.normalize('NFC').replace(/[\r\n\t]+/g, ' ');
  name = name.replace(CONTROL_IN_NAME, '');
  if (BIDI_CONTROL.test(name)) {
    if (bidi === 'refuse') return { ok: false, reason: 'must not contain bidirectional control characters' };
    name = name.replace(new RegExp(BIDI_CONTROL, 'g'), '');
  }
  name = capCombiningRuns(name).replace(/\s+/g, ' ').trim();
  if (isBlank(name)) return { ok: false, reason: 'must not be empty' };
  return { ok: true, text: name };
}

/** True when nothing visible is left once whitespace and invisible characters are set aside. */
export function isBlank(text: string): boolean {
  return text.replace(INVISIBLE, '') === '';
}

/** A platform display name in its safe form, or undefined when nothing of it is left. */
export function cleanDisplayName(raw: string | undefined | null): string | undefined {
  if (raw === undefined || raw === null) return undefined;
  const checked = checkName(raw.replace(new RegExp(LONE_SURROGATE, 'g'), '\uFFFD'), 'strip');
  return checked.ok ? checked.text : undefined;
}

function capCombiningRuns(text: string): string {
  if (!LONG_MARK_RUN.test(text)) return text;
  let out = '';
  let run = 0;
  for (const ch of text) {
    run = MARK.test(ch) ? run + 1 : 0;
    if (run <= MAX_COMBINING_RUN) out += ch;
  }
  return out;
}
