import { sendAgentTyping } from './agent-typing.js';
import { el } from '../dom.js';
import { agentLabel } from '../names.js';
import type { PageContext } from '../page.js';
import type { Agent } from '../types.js';
import { permissions } from './permissions.js';
import { t } from './strings.js';
import { createSuggestList } from './suggest-list.js';
import { td } from './drafts-strings.js';
import { createTranslatedSend, foreign } from './translate.js';
import type { Canned, Detail } from './types.js';
import { PendingUploads } from './files.js';
import { createQuickReplies } from './quick-replies.js';

type Mode = 'reply' | 'note';
let composers = 0;

/**
 * The composer (the drafts panel above it is drafts.ts). Enter sends (so does Ctrl/Cmd+Enter), Shift+Enter is a new
 * line, and a key that finishes an IME composition (Chinese input) never sends. `/` at the start
 * of a reply opens canned responses, rendered by the API with this conversation's placeholders;
 * `@` in a note suggests agents (the API notifies and invites whoever `@name` names).
 */
export function createComposer(ctx: PageContext, conversationId: string, onSent: () => void) {
  const n = ++composers;
  const path = `/conversations/${encodeURIComponent(conversationId)}`;

  // ---- mode and text ----
  const radio = (mode: Mode) => {
    const input = el('input', 'conv-mode-input');
    input.type = 'radio';
    input.name = `conv-mode-${n}`;
    input.value = mode;
    input.checked = mode === 'reply';
    const text = el('span', '');
    return { input, text, label: el('label', `conv-mode conv-mode-${mode}`, input, text) };
  };
  const replyRadio = radio('reply');
  const noteRadio = radio('note');
  const legend = el('legend', 'conv-sr');
  const modes = el('fieldset', 'conv-modes', legend, replyRadio.label, noteRadio.label);

  const textarea = el('textarea', 'conv-input');
  textarea.id = `conv-input-${n}`;
  textarea.rows = 3;
  textarea.maxLength = 16384;
  const textLabel = el('label', 'conv-sr');
  textLabel.htmlFor = textarea.id;
  const draftUsed = el('span', 'conv-draft-used');
  const reason = el('span', 'conv-reason');
  reason.id = `conv-reason-${n}`;
  const send = el('button', 'conv-btn conv-primary conv-send');
  send.type = 'submit';
  const translated = createTranslatedSend(ctx, conversationId);
  // Files for a reply: picked with the button, dropped on the composer or pasted into the text.
  const picker = el('input', 'conv-file-input');
  picker.type = 'file';
  picker.multiple = true;
  picker.hidden = true;
  const attach = el('button', 'conv-btn conv-attach', t('attachFiles'));
  attach.type = 'button';
  attach.addEventListener('click', () => picker.click());
  const pending = new PendingUploads(() => undefined);
  picker.addEventListener('change', () => {
    pending.add(picker.files ?? []);
    picker.value = '';
  });
  // Buttons the customer may press instead of writing, sent as the reply's `choices`.
  const quick = createQuickReplies(() => textarea.focus());
  const form = el(
    'form',
    'conv-composer',
    modes,
    textLabel,
    textarea,
    translated.preview,
    pending.node,
    quick.panel,
    el('div', 'conv-composer-row', picker, attach, quick.toggle, translated.toggle, draftUsed, reason, send),
  );
  form.addEventListener('dragover', (e) => {
    if (mode === 'reply' && e.dataTransfer?.types.includes('Files')) {
      e.preventDefault();
      form.classList.add('conv-dropping');
    }
  });
  form.addEventListener('dragleave', () => form.classList.remove('conv-dropping'));
  form.addEventListener('drop', (e) => {
    form.classList.remove('conv-dropping');
    if (mode !== 'reply' || !e.dataTransfer?.files.length) return;
    e.preventDefault();
    pending.add(e.dataTransfer.files);
  });
  textarea.addEventListener('paste', (e) => {
    const files = e.clipboardData?.files;
    if (mode === 'reply' && files?.length) {
      e.preventDefault();
      pending.add(files);
    }
  });

  let mode: Mode = 'reply';
  let draftId: string | null = null;
  let detail: Detail | null = null;
  let sending = false;

  // ---- suggestions ----
  let cannedSeq = 0;
  const canned = createSuggestList<Canned>(
    textarea,
    (c) => [el('strong', 'conv-shortcut', '/' + c.shortcut), el('span', 'conv-option-text', c.text)],
    (c) => void useCanned(c),
  );
  const mentions = createSuggestList<Agent>(
    textarea,
    (a) => [el('strong', '', '@' + a.name)],
    (a) => insertMention(a),
  );
  const node = el('div', 'conv-compose', canned.node, mentions.node, form);

  async function useCanned(c: Canned): Promise<void> {
    canned.hide();
    try {
      const rendered = await ctx.call<{ text: string }>('POST', `/canned/${encodeURIComponent(c.id)}/render`, { conversationId });
      textarea.value = rendered.text;
      setDraft(null);
      textarea.focus();
      textarea.setSelectionRange(textarea.value.length, textarea.value.length);
    } catch (err) {
      ctx.notice((err as Error).message, true);
    }
  }

  function mentionQuery(): { start: number; query: string } | null {
    const before = textarea.value.slice(0, textarea.selectionStart);
    const m = /(^|[\s(])@([^\s@]{0,30})$/u.exec(before);
    return m ? { start: before.length - m[2]!.length - 1, query: m[2]! } : null;
  }

  function insertMention(a: Agent): void {
    const q = mentionQuery();
    mentions.hide();
    if (!q) return;
    const caret = textarea.selectionStart;
    const insert = '@' + a.name + ' ';
    textarea.value = textarea.value.slice(0, q.start) + insert + textarea.value.slice(caret);
    const at = q.start + insert.length;
    textarea.focus();
    textarea.setSelectionRange(at, at);
  }

  function suggest(): void {
    const value = textarea.value;
    if (mode === 'reply' && /^\/\S*$/.test(value.slice(0, textarea.selectionStart)) && !value.includes('\n')) {
      mentions.hide();
      const q = value.slice(1, textarea.selectionStart);
      const seq = ++cannedSeq;
      ctx
        .call<{ items: Canned[] }>('GET', '/canned?limit=20' + (q ? '&q=' + encodeURIComponent(q) : ''))
        .then((page) => {
          if (seq === cannedSeq && mode === 'reply' && textarea.value.startsWith('/'))
            canned.show(t('cannedList'), page.items, t('noCanned', { q }));
        })
        .catch((err: Error) => ctx.notice(err.message, true));
      return;
    }
    cannedSeq++;
    canned.hide();
    const q = mode === 'note' ? mentionQuery() : null;
    if (!q) return mentions.hide();
    const query = q.query.toLowerCase();
    const found = [...ctx.agents.values()].filter((a) => a.id !== ctx.me.id && a.name.toLowerCase().startsWith(query)).slice(0, 8);
    if (found.length) mentions.show(t('mentionList'), found);
    else mentions.hide();
  }

  sendAgentTyping(textarea, ctx, conversationId, () => mode === 'reply');
  textarea.addEventListener('input', () => {
    if (!textarea.value.trim()) setDraft(null);
    translated.edited(textarea.value.trim());
    relabel();
    suggest();
  });
  textarea.addEventListener('keydown', (e) => {
    if (e.isComposing || e.keyCode === 229) return;
    if (canned.key(e) || mentions.key(e)) {
      e.preventDefault();
      return;
    }
    if (e.key === 'Enter' && (!e.shiftKey || e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      form.requestSubmit();
    }
  });
  textarea.addEventListener('blur', () => {
    canned.hide();
    mentions.hide();
  });

  translated.toggle.addEventListener('change', () => relabel());
  for (const r of [replyRadio, noteRadio])
    r.input.addEventListener('change', () => {
      if (r.input.checked) setMode(r.input.value as Mode);
    });

  function setMode(next: Mode): void {
    mode = next;
    replyRadio.input.checked = next === 'reply';
    noteRadio.input.checked = next === 'note';
    canned.hide();
    mentions.hide();
    relabel();
  }

  function setDraft(id: string | null): void {
    draftId = id;
    draftUsed.textContent = id ? t('basedOnDraft') : '';
  }

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void submit();
  });

  async function submit(): Promise<void> {
    const text = textarea.value.trim();
    const withFiles = mode === 'reply' && pending.count > 0;
    if ((!text && !withFiles) || send.disabled || sending) return;
    // Checked before anything is uploaded or sent: a refused label sends nothing.
    const choices = mode === 'reply' && !translated.active() ? quick.take() : [];
    if (!choices) return;
    sending = true;
    send.disabled = true;
    try {
      if (mode === 'reply' && translated.active()) {
        // The first press previews the translation; only the second sends it (text only: files wait for a plain reply).
        if (!(await translated.submit(text))) return;
      } else if (mode === 'reply') {
        const attachments = withFiles ? await pending.upload((line) => ctx.notice(line)) : [];
        await ctx.call('POST', `${path}/messages`, {
          text,
          ...(draftId ? { draftId } : {}),
          ...(attachments.length ? { attachments } : {}),
          ...(choices.length ? { choices } : {}),
        });
        pending.clear();
        quick.clear();
      } else await ctx.call('POST', `${path}/notes`, { text });
      ctx.notice(mode === 'reply' ? t('sent') : t('noteAdded'));
      textarea.value = '';
      setDraft(null);
      translated.reset();
      onSent();
    } catch (err) {
      ctx.notice((err as Error).message, true);
      if (choices.length) quick.refused((err as Error).message);
    } finally {
      sending = false;
      relabel();
    }
  }

  function relabel(): void {
    legend.textContent = t('composerMode');
    replyRadio.text.textContent = t('modeReply');
    noteRadio.text.textContent = t('modeNote');
    form.classList.toggle('conv-noting', mode === 'note');
    textLabel.textContent = mode === 'reply' ? t('replyLabel') : t('noteLabel');
    textarea.placeholder = mode === 'reply' ? t('replyPlaceholder') : t('notePlaceholder');
    const viaTranslation = mode === 'reply' && translated.active();
    send.textContent = !viaTranslation
      ? mode === 'reply'
        ? t('send')
        : t('addNote')
      : translated.ready(textarea.value.trim())
        ? td('sendTranslation')
        : td('preview');
    // Offered when the customer writes in another language than the console's.
    const said =
      detail?.messages
        .filter((m) => m.author === 'customer')
        .slice(-20)
        .map((m) => m.text)
        .join('\n') ?? '';
    translated.toggle.hidden = mode !== 'reply' || detail?.drafting?.mode !== 'llm' || !foreign(said);
    translated.relabel();
    attach.hidden = mode !== 'reply';
    pending.node.hidden = mode !== 'reply' || pending.count === 0;
    attach.textContent = t('attachFiles');
    quick.setAvailable(mode === 'reply' && !translated.active());
    quick.relabel();
    setDraft(draftId);
    let why = '';
    if (detail && mode === 'reply') {
      const c = detail.conversation;
      if (!permissions(c, ctx.me).reply)
        why =
          c.status === 'resolved' || c.status === 'closed' || c.status === 'bot'
            ? t('closedNoReply', { status: t(`status.${c.status}`) })
            : c.status === 'assigned' && c.assigneeId !== ctx.me.id
              ? t('heldByOther', { name: agentLabel(ctx.agents, c.assigneeId) })
              : t('mayNotReply');
    }
    reason.textContent = why;
    send.disabled = sending || !!why;
    if (why) send.setAttribute('aria-describedby', reason.id);
    else send.removeAttribute('aria-describedby');
  }

  return {
    node,
    textarea,
    update(d: Detail): void {
      detail = d;
      relabel();
    },
    relabel(): void {
      relabel();
    },
    /** "Use draft": the draft's text in the reply box, and its id sent with the reply. */
    useDraft(text: string, id: string): void {
      setMode('reply');
      textarea.value = text;
      setDraft(id);
      textarea.focus();
    },
    focus(): void {
      textarea.focus();
    },
  };
}
