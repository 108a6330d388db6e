/**
 * The two bodies of an outgoing reply. FAQ answers and agents use **bold** (as the chat page shows it);
 * mail clients get it as real bold in the HTML part and as plain words in the text part. Everything
 * else is escaped, so nothing an agent or the FAQ writes is ever interpreted as markup.
 */

const BOLD = /\*\*(?=\S)([^*\n]+?)\*\*/g;

export function replyText(text: string): string {
  return text.replace(BOLD, '$1');
}

export function replyHtml(text: string): string {
  const escaped = text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  const body = escaped.replace(BOLD, '<strong>$1</strong>').replace(/\r?\n/g, '<br>\n');
  return `<!doctype html><html><body><div style="font-family:sans-serif;white-space:pre-wrap">${body}</div></body></html>`;
}
