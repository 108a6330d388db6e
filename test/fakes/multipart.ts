/**
 * Reads a multipart/form-data body the way the platforms' servers do, for the fakes that take
 * uploads (Telegram's sendPhoto/sendDocument, Discord's files[n]). Tolerates quoted and unquoted
 * parameters, as clients send both. Null when the body is not well-formed multipart.
 */
export interface FormPart {
  name: string;
  /** Set on file parts. */
  filename?: string;
  contentType?: string;
  content: Buffer;
}

export function multipartBoundary(contentType: string | undefined): string | undefined {
  return /^multipart\/form-data;.*boundary="?([^";]+)"?/i.exec(contentType ?? '')?.[1];
}

export function parseMultipart(raw: Buffer, boundary: string): FormPart[] | null {
  const parts: FormPart[] = [];
  const delimiter = Buffer.from(`--${boundary}`);
  let at = raw.indexOf(delimiter);
  if (at < 0) return null;
  for (;;) {
    at += delimiter.length;
    if (raw.subarray(at, at + 2).toString() === '--') return parts;
    const headEnd = raw.indexOf('\r\n\r\n', at);
    const next = headEnd < 0 ? -1 : raw.indexOf(delimiter, headEnd);
    if (headEnd < 0 || next < 0) return null;
    const head = raw.subarray(at, headEnd).toString('utf8');
    // The part's content ends with the CRLF that precedes the next delimiter.
    const content = Buffer.from(raw.subarray(headEnd + 4, next - 2));
    const name = /[;\s]name="?([^";\r\n]+)"?/i.exec(head)?.[1];
    const filename = /filename="?([^"\r\n]+?)"?(\r|;|$)/im.exec(head)?.[1];
    const contentType = /^content-type:\s*([^\r\n]+)/im.exec(head)?.[1]?.trim();
    if (name) parts.push({ name, content, ...(filename !== undefined ? { filename } : {}), ...(contentType ? { contentType } : {}) });
    at = next;
  }
}
