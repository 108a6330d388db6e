/**
 * Replies (FAQ answers, agent text) may use a little Markdown: **bold**, `code` and
 * [links](https://…). Telegram shows raw asterisks, so those become Telegram HTML; every
 * other character is escaped, so nothing else can turn into markup. Anything the pattern
 * does not recognise (single *, _, an unclosed **) stays literal text.
 */
const MARKDOWN = /\*\*(?=\S)([\s\S]*?\S)\*\*|`([^`\n]+)`|\[([^\]\n]+)\]\((https?:\/\/[^\s)]+)\)/g;

export function markdownToTelegramHtml(text: string): string {
  let out = '';
  let last = 0;
  for (const m of text.matchAll(MARKDOWN)) {
    out += escapeHtml(text.slice(last, m.index));
    if (m[1] !== undefined) out += `<b>${escapeHtml(m[1])}</b>`;
    else if (m[2] !== undefined) out += `<code>${escapeHtml(m[2])}</code>`;
    else out += `<a href="${escapeHtml(m[4]!).replace(/"/g, '&quot;')}">${escapeHtml(m[3]!)}</a>`;
    last = m.index + m[0].length;
  }
  return out + escapeHtml(text.slice(last));
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
