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
