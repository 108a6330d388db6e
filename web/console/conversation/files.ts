/**
 * Files in the conversation view. Stored files are fetched with the agent's token (an <img src>
 * cannot send it) and shown from blob: URLs: pictures as thumbnails that open a viewer (Esc
 * closes, arrow keys step through the message's pictures), other files as chips that download.
 */
import { el } from '../dom.js';
import { state } from '../state.js';
import { safeHref } from './markdown-parse.js';
import { t } from './strings.js';
import type { Attachment } from './types.js';

const IMAGES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);
const IMAGE_NAME = /\.(png|jpe?g|gif|webp)$/i;
/** Blob URLs by path, so a redrawn history does not fetch its thumbnails again. */
const fetched = new Map<string, Promise<string>>();

export function formatSize(n: number): string {
  if (n >= 1024 * 1024) return `${Math.round((n / (1024 * 1024)) * 10) / 10} MB`;
  if (n >= 1024) return `${Math.round(n / 1024)} KB`;
  return `${n} B`;
}

function blobUrl(path: string): Promise<string> {
  let url = fetched.get(path);
  if (!url) {
    url = fetch('/api' + path, { headers: { authorization: 'Bearer ' + state.token } }).then(async (res) => {
      if (!res.ok) throw new Error(String(res.status));
      return URL.createObjectURL(await res.blob());
    });
    url.catch(() => fetched.delete(path));
    fetched.set(path, url);
  }
  return url;
}

const filePath = (id: string) => '/attachments/' + encodeURIComponent(id);

export function attachmentsNode(list: Attachment[]): HTMLElement {
  const pictures = list.filter((a) => a.id && IMAGES.has(a.mime ?? ''));
  return el(
    'ul',
    'conv-attachments',
    ...list.map((a) => {
      const name = typeof a.name === 'string' && a.name ? a.name : '?';
      if (a.refused) return el('li', 'conv-file conv-file-refused', t('fileNotKept', { name, reason: refusedReason(a.refused) }));
      if (a.id && IMAGES.has(a.mime ?? '')) {
        const img = el('img', 'conv-thumb');
        img.alt = name;
        void blobUrl(filePath(a.id) + '/thumbnail').then(
          (u) => (img.src = u),
          () => undefined,
        );
        const open = el('button', 'conv-thumb-btn', img);
        open.type = 'button';
        open.setAttribute('aria-label', t('openImage', { name }));
        open.addEventListener('click', () => openViewer(pictures, pictures.indexOf(a)));
        return el('li', 'conv-file', open);
      }
      if (a.id) {
        const chip = el('button', 'conv-file-chip', `${name}${a.size ? ` · ${formatSize(a.size)}` : ''}`);
        chip.type = 'button';
        chip.setAttribute('aria-label', t('download', { name }));
        chip.addEventListener('click', () => void download(a.id!, name));
        return el('li', 'conv-file', chip);
      }
      // Only a reference (a platform URL): a link when it is a safe one, else the name.
      const href = a.url ? (a.url.startsWith('/') && !a.url.startsWith('//') ? a.url : safeHref(a.url)) : null;
      if (!href) return el('li', 'conv-file', el('span', 'conv-file-name', name));
      const link = el('a', 'conv-file-link', el('span', 'conv-file-name', name));
      link.href = href;
      link.rel = 'noopener noreferrer';
      link.target = '_blank';
      if (IMAGE_NAME.test(name)) link.classList.add('conv-file-image');
      return el('li', 'conv-file', link);
    }),
  );
}

const REFUSALS = ['too_large', 'too_many', 'daily', 'unreadable', 'unknown'] as const;
function refusedReason(code: string): string {
  const known = REFUSALS.find((r) => r === code);
  return known ? t(`refused.${known}`) : code;
}

async function download(id: string, name: string): Promise<void> {
  const url = await blobUrl(filePath(id));
  const a = el('a', '');
  a.href = url;
  a.download = name;
  a.click();
}

/** A modal picture viewer over the console; focus returns where it was when it closes. */
export function openViewer(pictures: Attachment[], start: number): void {
  if (pictures.length === 0) return;
  let at = Math.max(0, start);
  const img = el('img', 'conv-viewer-img');
  const caption = el('p', 'conv-viewer-caption');
  const button = (cls: string, label: string, text: string, go: () => void) => {
    const b = el('button', `conv-btn ${cls}`, text);
    b.type = 'button';
    b.setAttribute('aria-label', label);
    b.addEventListener('click', go);
    return b;
  };
  const prev = button('conv-viewer-prev', t('viewerPrev'), '‹', () => show(at - 1));
  const next = button('conv-viewer-next', t('viewerNext'), '›', () => show(at + 1));
  const close = button('conv-viewer-close', t('viewerClose'), '×', () => dialog.close());
  const dialog = el('dialog', 'conv-viewer', close, el('div', 'conv-viewer-stage', prev, img, next), caption);
  const before = document.activeElement as HTMLElement | null;
  function show(i: number): void {
    at = (i + pictures.length) % pictures.length;
    const p = pictures[at]!;
    img.alt = p.name;
    img.removeAttribute('src');
    caption.textContent = t('viewer', { n: at + 1, total: pictures.length, name: p.name });
    dialog.setAttribute('aria-label', caption.textContent);
    void blobUrl(filePath(p.id!)).then((u) => {
      if (pictures[at] === p) img.src = u;
    });
    prev.hidden = next.hidden = pictures.length < 2;
  }
  dialog.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowLeft') show(at - 1);
    else if (e.key === 'ArrowRight') show(at + 1);
    // Closed here, not left to the <dialog>: the console's own Esc handling must not see it either.
    else if (e.key === 'Escape') dialog.close();
    else return;
    e.preventDefault();
    e.stopPropagation();
  });
  dialog.addEventListener('close', () => {
    dialog.remove();
    before?.focus();
  });
  document.body.append(dialog);
  show(at);
  dialog.showModal();
  close.focus();
}

/** Files chosen for the next reply, as removable chips; uploaded when the reply is sent. */
export class PendingUploads {
  private files: File[] = [];
  readonly node = el('div', 'conv-pending');

  constructor(private readonly onChange: () => void) {
    this.node.hidden = true;
  }

  get count(): number {
    return this.files.length;
  }

  add(files: Iterable<File>): void {
    for (const f of files) this.files.push(f);
    this.render();
  }

  clear(): void {
    this.files = [];
    this.render();
  }

  private render(): void {
    this.node.hidden = this.files.length === 0;
    this.node.replaceChildren(
      ...this.files.map((f, i) => {
        const remove = el('button', 'conv-pending-remove', '×');
        remove.type = 'button';
        remove.setAttribute('aria-label', t('removeFile', { name: f.name }));
        remove.addEventListener('click', () => {
          this.files.splice(i, 1);
          this.render();
        });
        return el('span', 'conv-pending-file', `${f.name} · ${formatSize(f.size)}`, remove);
      }),
    );
    this.onChange();
  }

  /** Uploads each file (POST /api/attachments, streamed by the browser); the ids for the reply, or throws the API's message. */
  async upload(progress: (text: string) => void): Promise<string[]> {
    const ids: string[] = [];
    for (const f of this.files) {
      progress(t('uploadingFile', { name: f.name }));
      const res = await fetch('/api/attachments?name=' + encodeURIComponent(f.name), {
        method: 'POST',
        headers: { authorization: 'Bearer ' + state.token, 'content-type': 'application/octet-stream' },
        body: f,
      });
      const data = (await res.json().catch(() => null)) as { attachment?: { id: string }; error?: { message?: string } } | null;
      if (!res.ok || !data?.attachment) throw new Error(data?.error?.message || `upload failed (${res.status})`);
      ids.push(data.attachment.id);
    }
    return ids;
  }
}
