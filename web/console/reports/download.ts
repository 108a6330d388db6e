/** Where the shell keeps the agent's token (CONSOLE.md); a download needs it as a header, which a plain link cannot send. */
const TOKEN_KEY = 'switchboard.agentToken';

/**
 * Fetches a CSV from /api with the token and hands it to the browser as a file: a Blob URL on an
 * <a download>, revoked once the click has started the download. Returns the file's name.
 */
export async function downloadCsv(path: string, fallbackName: string): Promise<string> {
  const res = await fetch('/api' + path, { headers: { authorization: 'Bearer ' + (sessionStorage.getItem(TOKEN_KEY) ?? '') } });
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
    throw new Error(body?.error?.message || 'request failed (' + res.status + ')');
  }
  const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? fallbackName;
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return name;
}
