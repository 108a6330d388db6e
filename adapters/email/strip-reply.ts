/**
 * Cuts quoted history and signatures from a plain-text email body, so the bot matches on what the
 * customer wrote just now. The caller keeps the full original for agents.
 */

/** A line that introduces the quoted previous message in common mail clients (several languages). */
const QUOTE_INTRO = [
  /^on\b.{0,300}\bwrote:?$/i,
  /^(le|am|el|il|op)\b.{0,300}\b(a écrit|schrieb|escribió|ha scritto|schreef)\b.{0,200}:$/i,
  /^在.{0,200}(写道|寫道)\s*[:：]?$/,
  /^-{2,}\s*(original message|forwarded message|原始邮件|原始郵件|邮件原文)\s*-{2,}$/i,
  /^_{10,}$/,
  /^(from|发件人|寄件者)\s*[:：].+$/i,
];
/** The header block Outlook puts above the quote: "From:" followed within a few lines by "Sent:"/"Date:"/"To:". */
const OUTLOOK_FIELD = /^(sent|date|to|subject|发送时间|日期|收件人|主题)\s*[:：]/i;
const MOBILE_SIGNATURE = /^(sent from my .{1,40}|get outlook for .{1,20}|发自我的.{1,20}|從我的.{1,20}傳送)$/i;

export function stripReply(body: string): string {
  const lines = body.replace(/\r\n?/g, '\n').split('\n');
  let end = lines.length;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    const joined = `${line} ${lines[i + 1]?.trim() ?? ''}`.trim();
    if (isQuoteIntro(line, lines, i) || (/^on\b/i.test(line) && /\bwrote:?$/i.test(joined) && !/\bwrote:?$/i.test(line))) {
      end = i;
      break;
    }
    if (line === '--' || lines[i] === '-- ') {
      end = i;
      break;
    }
  }
  const kept = lines.slice(0, end).filter((l) => !l.startsWith('>'));
  while (kept.length && (kept[kept.length - 1]!.trim() === '' || MOBILE_SIGNATURE.test(kept[kept.length - 1]!.trim()))) kept.pop();
  const text = kept
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  // A message that was nothing but quote (or an unusual layout) keeps its full text rather than becoming empty.
  return text || body.trim();
}

function isQuoteIntro(line: string, lines: string[], i: number): boolean {
  const pattern = QUOTE_INTRO.find((p) => p.test(line));
  if (!pattern) return false;
  if (pattern !== QUOTE_INTRO[5]) return true;
  // A bare "From:" line is only a quote header when Outlook's other fields follow it.
  return lines.slice(i + 1, i + 4).some((l) => OUTLOOK_FIELD.test(l.trim()));
}
