import { COMPLAINT_LABEL } from '../domain/labels.js';
import { SYSTEM } from '../domain/events.js';
import type { Repos } from '../store/store.js';
import type { ConversationRow } from '../store/ports.js';
import { raisePriority, writeLabel } from '../queue/annotations.js';

/*
 * Complaint and anger detection, English and simplified Chinese.
 *
 * Where it fits (docs/architecture.md): a rule decides the reply, and the first rule that decides
 * wins. A complaint decides no reply — the FAQ still answers "I want a refund now, this is a
 * scam" if it knows refunds, and a hand-off still happens when the customer asks for a person.
 * So this is not a rule but an annotation ingest makes beside the decision, in the same
 * transaction: the conversation's priority is raised to at least `high` (never lowered) and it is
 * labelled `complaint`, so the queue puts it first and agents can filter on it.
 *
 * Matching is a phrase list over normalised text (NFKC, lower case, one kind of apostrophe). A
 * phrase ending in `*` matches any word that starts with it (complain* → complaint, complaining).
 * A match right after a negation in the same clause does not count: "not a complaint", "no
 * complaints", "I don't think this is a scam", "不是投诉", "没有任何投诉", "不会给差评".
 */

const ENGLISH = [
  'this is unacceptable',
  'unacceptable',
  'refund now',
  'i want my money back',
  'give me my money back',
  'worst service',
  'worst experience',
  'worst company',
  'terrible service',
  'horrible service',
  'awful service',
  'scam',
  'scams',
  'scammed',
  'scammer*',
  'rip off',
  'ripoff',
  'ripped off',
  'fraud*',
  'complain*',
  'speak to your manager',
  'speak to a manager',
  'disgusting',
  'ridiculous',
  'pathetic',
  'furious',
  'fed up',
  'sick of',
  'legal action',
  'my lawyer',
  'sue you',
  'bad review',
  'one star',
  'waste of money',
  'incompetent',
  'never buying',
] as const;

const CHINESE = [
  '投诉',
  '太差了',
  '太差劲',
  '差劲',
  '骗子',
  '骗人',
  '诈骗',
  '欺骗',
  '差评',
  '退钱',
  '垃圾',
  '坑人',
  '坑爹',
  '黑店',
  '气死',
  '恶心',
  '忍无可忍',
  '太过分',
  '什么破',
  '态度差',
  '态度恶劣',
  '服务太差',
  '不满意',
  '很失望',
  '太失望',
  '找你们领导',
  '找你们经理',
  '12315',
  '消协',
  '曝光你们',
  '举报',
  '起诉',
  '律师',
] as const;

/** Words a negation may stand before a phrase across ("not going to file a complaint"). */
const EN_FILLER = new Set(
  'a an any the my your this that it is was be been really even ever single one to of want wanted going gonna make making file filing have has had need lodge submit write leave give giving think intend plan at all'.split(
    ' ',
  ),
);
const EN_NEGATION = new Set([
  'not',
  'no',
  'never',
  'nothing',
  'without',
  'hardly',
  'nor',
  "isn't",
  "wasn't",
  "aren't",
  "don't",
  "doesn't",
  "didn't",
  "won't",
  "wouldn't",
  "can't",
  'cannot',
  "haven't",
  "hasn't",
]);
const ZH_FILLER = ['任何', '一个', '一点', '什么', '打算', '个', '会', '给', '想', '要', '是', '算', '再', '的', '了', '在'];
const ZH_NEGATION = ['不是', '没有', '并非', '并不', '不', '没', '无', '别', '未', '非'];

/** Clause boundaries: a negation before one does not reach past it ("No. This is a scam."). */
const CLAUSE = /[.!?;,:。！？；，、：\n]/u;

export interface ComplaintMatch {
  phrase: string;
  locale: 'en' | 'zh';
}

export function normalizeForComplaint(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/[’‘`]/g, "'").replace(/\s+/g, ' ');
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const ENGLISH_PATTERNS = ENGLISH.map((phrase) => {
  const open = phrase.endsWith('*');
  const body = escape(open ? phrase.slice(0, -1) : phrase).replace(/ /g, '\\s+');
  return { phrase, re: new RegExp(`(?<![\\p{L}\\p{N}'])${body}${open ? "[\\p{L}']*" : '(?![\\p{L}\\p{N}])'}`, 'gu') };
});

/** The first complaint phrase the text holds that no negation takes back, or undefined. */
export function detectComplaint(text: string): ComplaintMatch | undefined {
  const t = normalizeForComplaint(text);
  for (const { phrase, re } of ENGLISH_PATTERNS) {
    // exec on the shared expression rather than matchAll, which copies it (and compiles the copy) on every call.
    re.lastIndex = 0;
    for (let m = re.exec(t); m; m = re.exec(t)) {
      if (!negatedEnglish(clauseBefore(t, m.index))) {
        re.lastIndex = 0;
        return { phrase, locale: 'en' };
      }
    }
  }
  for (const phrase of CHINESE) {
    for (let at = t.indexOf(phrase); at >= 0; at = t.indexOf(phrase, at + 1)) {
      if (!negatedChinese(clauseBefore(t, at))) return { phrase, locale: 'zh' };
    }
  }
  return undefined;
}

function clauseBefore(t: string, end: number): string {
  const before = t.slice(0, end);
  let start = before.length;
  while (start > 0 && !CLAUSE.test(before[start - 1]!)) start--;
  return before.slice(start);
}

function negatedEnglish(before: string): boolean {
  const words = before.split(/[^\p{L}\p{N}']+/u).filter(Boolean);
  while (words.length && EN_FILLER.has(words.at(-1)!)) words.pop();
  const last = words.at(-1);
  return last !== undefined && (EN_NEGATION.has(last) || last.endsWith("n't"));
}

function negatedChinese(before: string): boolean {
  let s = before.trimEnd();
  for (let stripped = true; stripped;) {
    stripped = false;
    for (const f of ZH_FILLER) {
      if (s.endsWith(f)) {
        s = s.slice(0, -f.length).trimEnd();
        stripped = true;
      }
    }
  }
  return ZH_NEGATION.some((n) => s.endsWith(n));
}

/**
 * Ingest's step for an inbound customer message: on a complaint, priority to at least `high` and
 * the `complaint` label, each with its event, by `system`. Auto-replies ("out of office") are no
 * complaint whatever they say. Returns the conversation as it is now.
 */
export async function annotateComplaint(
  r: Repos,
  c: ConversationRow,
  message: { text: string; autoGenerated?: boolean },
  now: number,
): Promise<ConversationRow> {
  if (message.autoGenerated || !detectComplaint(message.text)) return c;
  const raised = await raisePriority(r, c, 'high', SYSTEM, now);
  await writeLabel(r, raised, COMPLAINT_LABEL, SYSTEM, now);
  return raised;
}
