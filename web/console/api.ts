import { state } from './state.js';

let unauthorized: () => void = () => {};

/** What to do when the API refuses the token (sign out); set once by main. */
export function onUnauthorized(handler: () => void): void {
  unauthorized = handler;
}

/** A call to /api with the agent's token; throws with the API's error message. */
export async function call<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { authorization: 'Bearer ' + state.token };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch('/api' + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const data = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
  if (res.status === 401) {
    unauthorized();
    throw new Error('unauthorized');
  }
  if (!res.ok) throw new Error(data?.error?.message || 'request failed (' + res.status + ')');
  return data as T;
}

/**
 * Follows a short Server-Sent Events stream under /api (a draft being written): fetch with a
 * streaming body, because EventSource cannot send the Authorization header and the token must
 * not go in a URL. Resolves when the server closes the stream or `signal` aborts; throws with the
 * API's message when the request is refused.
 */
export async function stream(path: string, onEvent: (type: string, data: unknown) => void, signal?: AbortSignal): Promise<void> {
  const res = await fetch('/api' + path, {
    headers: { authorization: 'Bearer ' + state.token, accept: 'text/event-stream' },
    cache: 'no-store',
    signal,
  });
  if (res.status === 401) {
    unauthorized();
    throw new Error('unauthorized');
  }
  if (!res.ok || !res.body) {
    const data = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
    throw new Error(data?.error?.message || 'request failed (' + res.status + ')');
  }
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value;
      let m: RegExpExecArray | null;
      while ((m = /\r?\n\r?\n/.exec(buffer))) {
        const block = buffer.slice(0, m.index);
        buffer = buffer.slice(m.index + m[0].length);
        let type = 'message';
        const data: string[] = [];
        for (const line of block.split(/\r?\n/)) {
          if (line.startsWith(':')) continue;
          const colon = line.indexOf(':');
          const field = colon < 0 ? line : line.slice(0, colon);
          const val = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
          if (field === 'event') type = val;
          else if (field === 'data') data.push(val);
        }
        if (!data.length) continue;
        try {
          onEvent(type, JSON.parse(data.join('\n')) as unknown);
        } catch {
          // A malformed frame is skipped; the stored draft is read again when it ends anyway.
        }
      }
    }
  } catch (err) {
    if (signal?.aborted) return;
    throw err;
  }
}
