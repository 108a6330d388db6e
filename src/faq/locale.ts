/**
 * Which language a question is in. The text decides when its script does (a Chinese question
 * gets the Chinese answer even from a customer whose app is set to English); the customer's
 * known locale only breaks the tie for text in Latin script or without letters.
 */
import { dominantScript } from './normalize.js';

export function baseLanguage(locale: string): string {
  return locale.toLowerCase().split(/[-_]/)[0] ?? locale;
}

export function questionLocale(text: string, hint?: string): string {
  const script = dominantScript(text);
  const hinted = hint ? baseLanguage(hint) : undefined;
  if (script === 'han') return 'zh';
  if (script === 'latin') return hinted && !HAN_LANGUAGES.has(hinted) ? hinted : 'en';
  return hinted ?? 'en';
}

const HAN_LANGUAGES = new Set(['zh', 'ja']);
