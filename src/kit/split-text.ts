/**
 * Splits a reply into chunks a platform accepts (`limit` UTF-16 code units: Telegram 4096,
 * Discord 2000), preferring paragraph, line and word breaks so a long answer reads naturally,
 * and never cutting a surrogate pair (an emoji) in half.
 */
export function splitText(text: string, limit: number): string[] {
  const chunks: string[] = [];
  let rest = text.trim();
  while (rest.length > limit) {
    const cut = breakPoint(rest, limit);
    const chunk = rest.slice(0, cut).trimEnd();
    if (chunk !== '') chunks.push(chunk);
    rest = rest.slice(cut).trimStart();
  }
  if (rest !== '') chunks.push(rest);
  return chunks;
}

function breakPoint(text: string, limit: number): number {
  const window = text.slice(0, limit + 1);
  // A break in the first half would leave a stub chunk; then a hard cut reads better.
  const min = Math.floor(limit / 2);
  for (const sep of ['\n\n', '\n', '. ', ' ']) {
    const at = window.lastIndexOf(sep);
    if (at >= min) return at + (sep === '. ' ? 1 : 0);
  }
  const code = text.charCodeAt(limit - 1);
  return code >= 0xd800 && code <= 0xdbff ? limit - 1 : limit;
}
