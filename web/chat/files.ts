/**
 * Files in the chat: pictures shown and other files offered for download, both fetched with the
 * session's secret (never a public URL); and the customer's own files, picked, dropped or pasted,
 * checked for size before anything is sent, then uploaded with a progress line.
 */
import { t } from './strings.js';

export interface ChatFile {
  id: string;
  name: string;
  mime: string;
  size: number;
}

export interface FileLimits {
  maxBytes: number;
  perMessage: number;
}

export interface Credentials {
  sessionId: string;
  secret: string;
}

const IMAGES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);

export function formatSize(n: number): string {
  if (n >= 1024 * 1024) return `${Math.round((n / (1024 * 1024)) * 10) / 10} MB`;
  if (n >= 1024) return `${Math.round(n / 1024)} KB`;
  return `${n} B`;
}

const base = (s: Credentials) => '/webchat/sessions/' + encodeURIComponent(s.sessionId) + '/attachments/';

async function blobUrl(s: Credentials, id: string, thumbnail: boolean): Promise<string> {
  const res = await fetch(base(s) + encodeURIComponent(id) + (thumbnail ? '?thumbnail=1' : ''), {
    headers: { authorization: 'Bearer ' + s.secret },
  });
  if (!res.ok) throw new Error(String(res.status));
  return URL.createObjectURL(await res.blob());
}

/** The files of one message: images as thumbnails (a click opens the full picture), the rest as download buttons. */
export function fileNodes(files: ChatFile[], s: Credentials | null): HTMLElement {
  const box = document.createElement('div');
  box.className = 'files';
  for (const f of files) {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'file';
    if (IMAGES.has(f.mime) && s) {
      const img = document.createElement('img');
      img.alt = f.name;
      img.className = 'thumb';
      void blobUrl(s, f.id, true).then(
        (url) => (img.src = url),
        () => undefined,
      );
      button.appendChild(img);
      button.setAttribute('aria-label', f.name);
    } else {
      button.textContent = `${f.name} (${formatSize(f.size)})`;
      button.setAttribute('aria-label', t('download', { name: f.name }));
    }
    button.addEventListener('click', () => {
      if (!s) return;
      void blobUrl(s, f.id, false).then((url) => {
        const a = document.createElement('a');
        a.href = url;
        // Pictures open in a new tab; anything else is saved under its name.
        if (IMAGES.has(f.mime)) a.target = '_blank';
        else a.download = f.name;
        a.rel = 'noopener';
        a.click();
        setTimeout(() => URL.revokeObjectURL(url), 60_000);
      });
    });
    box.appendChild(button);
  }
  return box;
}

/** Files chosen for the next message, shown above the composer, each removable. */
export class PendingFiles {
  private files: File[] = [];

  constructor(
    private readonly list: HTMLElement,
    private readonly status: HTMLElement,
    private readonly limits: () => FileLimits | null,
  ) {}

  get count(): number {
    return this.files.length;
  }

  /** Adds files after checking them against the limits; a refused one is named with the reason. */
  add(files: Iterable<File>): void {
    const limits = this.limits();
    if (!limits) return;
    for (const f of files) {
      if (this.files.length >= limits.perMessage) {
        this.status.textContent = t('tooManyFiles', { max: limits.perMessage });
        break;
      }
      if (f.size > limits.maxBytes) {
        this.status.textContent = t('fileTooLarge', { name: f.name, max: formatSize(limits.maxBytes) });
        continue;
      }
      this.files.push(f);
    }
    this.render();
  }

  clear(): void {
    this.files = [];
    this.render();
  }

  private render(): void {
    this.list.replaceChildren();
    this.list.hidden = this.files.length === 0;
    this.files.forEach((f, i) => {
      const chip = document.createElement('span');
      chip.className = 'pending-file';
      chip.textContent = `${f.name} (${formatSize(f.size)})`;
      const remove = document.createElement('button');
      remove.type = 'button';
      remove.textContent = '×';
      remove.setAttribute('aria-label', t('removeFile', { name: f.name }));
      remove.addEventListener('click', () => {
        this.files.splice(i, 1);
        this.render();
      });
      chip.appendChild(remove);
      this.list.appendChild(chip);
    });
  }

  /** Uploads every pending file (with a progress line); resolves with what the message names, or throws a message for the visitor. */
  async upload(s: Credentials): Promise<{ attachmentId: string; name: string }[]> {
    const out: { attachmentId: string; name: string }[] = [];
    for (const f of this.files) {
      const id = await uploadOne(s, f, (percent) => (this.status.textContent = t('uploading', { name: f.name, percent })));
      out.push({ attachmentId: id, name: f.name });
    }
    this.status.textContent = '';
    return out;
  }
}

/** XMLHttpRequest, since fetch reports no upload progress. */
function uploadOne(s: Credentials, f: File, progress: (percent: number) => void): Promise<string> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/webchat/sessions/' + encodeURIComponent(s.sessionId) + '/attachments?name=' + encodeURIComponent(f.name));
    xhr.setRequestHeader('authorization', 'Bearer ' + s.secret);
    xhr.setRequestHeader('content-type', 'application/octet-stream');
    xhr.upload.onprogress = (e) => e.lengthComputable && progress(Math.round((e.loaded / e.total) * 100));
    xhr.onload = () => {
      if (xhr.status === 201) return resolve((JSON.parse(xhr.responseText) as { attachment: { id: string } }).attachment.id);
      let reason = String(xhr.status);
      try {
        reason = (JSON.parse(xhr.responseText) as { error: { message: string } }).error.message;
      } catch {
        // not our JSON error
      }
      reject(new Error(t('fileFailed', { name: f.name, reason })));
    };
    xhr.onerror = () => reject(new Error(t('fileFailed', { name: f.name, reason: t('network') })));
    progress(0);
    xhr.send(f);
  });
}
