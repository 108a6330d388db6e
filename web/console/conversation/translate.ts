import { el } from '../dom.js';
import { locale } from '../i18n.js';
import type { PageContext } from '../page.js';
import { languageName, td } from './drafts-strings.js';

/**
 * "Translate" on a customer message (the buttons message-node.ts draws, handled here by one
 * listener on the history): the message in the console's language, as a generated note.
 */
export function attachTranslate(ctx: PageContext, conversationId: string, history: HTMLElement, refresh: () => void): void {
  history.addEventListener('click', (e) => {
    const button = (e.target as HTMLElement).closest<HTMLButtonElement>('button[data-translate]');
    if (!button || button.disabled) return;
    const messageId = button.dataset.translate!;
    button.disabled = true;
    button.textContent = td('translating');
    ctx
      .call('POST', `/conversations/${encodeURIComponent(conversationId)}/messages/${encodeURIComponent(messageId)}/translate`, {
        to: locale(),
      })
      .then(() => {
        ctx.notice(td('translated'));
        refresh();
      })
      .catch((err: Error) => ctx.notice(err.message, true))
      .finally(() => {
        button.disabled = false;
        button.textContent = td('translate');
      });
  });
}

/**
 * The composer's "Send in the customer's language": the first send previews the translation
 * (nothing is sent), the second sends exactly the previewed text; editing after the preview asks
 * for a new one, so the customer never gets a translation of something else.
 */
export function createTranslatedSend(ctx: PageContext, conversationId: string) {
  const path = `/conversations/${encodeURIComponent(conversationId)}/messages/translated`;
  const box = el('input', 'conv-translate-toggle');
  box.type = 'checkbox';
  const text = el('span', '');
  const toggle = el('label', 'conv-translate-label', box, text);
  const title = el('div', 'conv-meta');
  const body = el('div', 'conv-translate-preview');
  const preview = el('div', 'conv-translate-box', title, body);
  preview.hidden = true;
  preview.setAttribute('aria-live', 'polite');
  let shown: { source: string; translation: string; to: string } | null = null;

  function clear(): void {
    shown = null;
    preview.hidden = true;
    body.textContent = '';
  }
  box.addEventListener('change', clear);

  return {
    toggle,
    preview,
    active: () => box.checked && !toggle.hidden,
    /** Whether the next send sends (a preview of this very text is shown) or previews. */
    ready: (source: string) => !!shown && shown.source === source,
    /** Previews, or sends the previewed translation; true once sent. */
    async submit(source: string): Promise<boolean> {
      if (shown && shown.source === source) {
        await ctx.call('POST', path, { text: source, translation: shown.translation });
        clear();
        return true;
      }
      const got = await ctx.call<{ translation: string; from: string; to: string }>('POST', path, { text: source, preview: true });
      shown = { source, translation: got.translation, to: got.to };
      title.textContent = td('previewTitle', { to: languageName(got.to) });
      body.textContent = got.translation;
      body.lang = got.to;
      preview.hidden = false;
      return false;
    },
    /** The text changed: an old preview no longer says what will be sent. */
    edited(source: string): void {
      if (shown && shown.source !== source) {
        title.textContent = td('previewStale');
      }
    },
    reset: clear,
    relabel(): void {
      text.textContent = td('sendTranslated');
      if (shown) title.textContent = td('previewTitle', { to: languageName(shown.to) });
    },
  };
}

const HAN = /\p{Script=Han}/gu;
const LATIN = /\p{Script=Latin}/gu;

/** 'zh' or 'en' by the share of Chinese characters among the letters (as the API judges it); null without letters. */
export function textLanguage(text: string): 'en' | 'zh' | null {
  const han = text.match(HAN)?.length ?? 0;
  const latin = text.match(LATIN)?.length ?? 0;
  if (!han && !latin) return null;
  return han / (han + latin) >= 1 / 3 ? 'zh' : 'en';
}

/** Whether text is in another language than the console's: only then is translating it offered. */
export function foreign(text: string): boolean {
  const lang = textLanguage(text);
  return lang !== null && lang !== locale();
}
