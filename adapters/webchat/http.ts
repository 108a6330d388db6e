/** Small fetch-style helpers so the web chat needs no web framework. */

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json; charset=utf-8', ...headers } });
}

export function error(status: number, code: string, message: string): Response {
  return json(status, { error: { code, message } });
}

export function bearer(req: Request): string | undefined {
  const h = req.headers.get('authorization');
  const m = h ? /^Bearer\s+(.+)$/i.exec(h) : null;
  return m?.[1]?.trim();
}

/** Reads a JSON object body, refusing anything larger than `maxBytes` before parsing it. */
export async function readJson(req: Request, maxBytes: number): Promise<{ ok: true; value: Record<string, unknown> } | { ok: false; response: Response }> {
  const raw = await req.arrayBuffer();
  if (raw.byteLength > maxBytes) return { ok: false, response: error(413, 'payload_too_large', `body exceeds ${maxBytes} bytes`) };
  try {
    const value: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(raw));
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      return { ok: false, response: error(400, 'invalid_body', 'body must be a JSON object') };
    }
    return { ok: true, value: value as Record<string, unknown> };
  } catch {
    return { ok: false, response: error(400, 'invalid_json', 'body is not valid UTF-8 JSON') };
  }
}
