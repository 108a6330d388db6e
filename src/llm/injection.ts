/**
 * Prompt-injection detection for customer text, English and simplified Chinese.
 *
 * The prompt already fences customer text as data (draft-prompt.ts) and tells the model never to
 * follow it; this is the second line, decided in code: a message that looks like it tries to
 * instruct the model flags its draft for a person (needsHumanCheck) and blocks any automatic
 * answer. It errs towards flagging: a false alarm costs an agent a look, a miss could put the
 * model's words in front of a customer unchecked.
 *
 * Checked: the message text, the full email (quoted history below the reply), and attachment
 * file names (underscores, dots and dashes read as spaces).
 */

export type InjectionKind = 'instruction' | 'system_prompt' | 'role_tag' | 'tool_result' | 'html_comment';

export interface InjectionMatch {
  kind: InjectionKind;
  /** Where it was found. */
  where: 'text' | 'quoted' | 'attachment';
  /** Short, for agents: what was found and where (never the customer's text itself). */
  reason: string;
}

/** Phrases that address the model, over text normalised by `normalize` (lower case, NFKC, one space). */
const INSTRUCTION_EN = [
  /\b(ignore|disregard|forget|override|bypass|skip)\b.{0,30}\b(previous|prior|above|earlier|preceding|all|any|your|the|these|those)\b.{0,20}\b(instruction|instructions|rules|prompt|prompts|directions|guidelines|context)\b/,
  /\bnew (instruction|instructions|rules)\s*:/,
  /\byou are now\b/,
  /\b(pretend|act) (to be|as) (an?|the) (ai|assistant|system|admin|administrator|developer|model)\b/,
  /\b(developer|dan|god|admin) mode\b/,
  /\bjailbreak/,
  /\b(reveal|print|show|repeat|output|tell me) (me )?(your|the) (system )?(prompt|instructions|rules)\b/,
  /\bas an ai (language )?model\b/,
  /\b(do not|don't) (tell|inform) the (agent|human|operator)\b/,
  /\bset needs_human_check\b|\bneeds_human_check\b|\bcited_entry_ids\b/,
];
const INSTRUCTION_ZH = [
  /(忽略|无视|忘记|忘掉|不要理会|别管|跳过)(掉)?.{0,8}(之前|以上|上面|前面|先前|所有|全部|你的|原来|原有)?(的)?(所有)?(指令|指示|规则|设定|提示词|提示|要求|命令)/,
  /新(的)?(指令|指示|规则|任务)\s*[:：]/,
  /你现在(是|扮演|作为)/,
  /(扮演|假装|充当)(一个)?(管理员|开发者|系统|ai|助手|模型)/,
  /越狱|开发者模式/,
  /(输出|显示|告诉我|泄露|重复)(你的)?(系统)?(提示词|指令|设定)/,
  /不要告诉(客服|人工|管理员)/,
];
const SYSTEM_PROMPT = [
  /\bsystem prompt\b/,
  /\bsystem (message|instruction|instructions|override)\s*:/,
  /系统(提示|指令|消息|设定)\s*[:：]?/,
  /^\s*system\s*:/m,
];
const ROLE_TAG = [
  /<\s*\/?\s*(system|assistant|user|human|instructions?|tool|tool_result|function|customer_conversation|faq_entries|entry)\b[^>]*>/,
  /<\|\s*(im_start|im_end|system|assistant|user|endoftext)\s*\|>/,
  /\[\/?(inst|sys|system)\]/,
  /<<\s*\/?sys\s*>>/,
  /^\s*(#+\s*)?(assistant|human|user|system|developer)\s*[:：]/m,
  /^\s*(助手|系统|用户)\s*[:：]/m,
];
const TOOL_RESULT = [
  /"(type)"\s*:\s*"(tool_use|tool_result|function_call|function)"/,
  /"(role)"\s*:\s*"(system|assistant|tool|developer)"/,
  /"(reply|cited_entry_ids|needs_human_check|entry_id|tool_use_id|function_call|arguments)"\s*:/,
  /\b(tool_result|tool_use|function_call)\b/,
];
const HTML_COMMENT = /<!--[\s\S]*?(-->|$)/;

function normalize(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\u200b-\u200f\u2060\ufeff]/g, '')
    .replace(/[’‘]/g, "'")
    .replace(/[ \t]+/g, ' ');
}

function classify(raw: string): InjectionKind | undefined {
  if (HTML_COMMENT.test(raw)) return 'html_comment';
  const t = normalize(raw);
  if (ROLE_TAG.some((p) => p.test(t))) return 'role_tag';
  if (TOOL_RESULT.some((p) => p.test(t))) return 'tool_result';
  if (SYSTEM_PROMPT.some((p) => p.test(t))) return 'system_prompt';
  // One line of prose, so quoted-email markers and line breaks do not split a phrase.
  const prose = t.replace(/^\s*>+\s?/gm, '').replace(/\s+/g, ' ');
  if (INSTRUCTION_EN.some((p) => p.test(prose)) || INSTRUCTION_ZH.some((p) => p.test(prose.replace(/ /g, '')))) return 'instruction';
  return undefined;
}

const KIND_TEXT: Record<InjectionKind, string> = {
  instruction: 'instructions addressed to the assistant',
  system_prompt: 'a claimed system prompt',
  role_tag: 'role or prompt tags',
  tool_result: 'a fake tool result or structured reply',
  html_comment: 'a hidden HTML comment',
};

/** The first sign of an injection attempt in what a customer sent, or undefined. */
export function detectInjection(input: {
  text: string;
  fullText?: string | null;
  attachmentNames?: readonly string[];
}): InjectionMatch | undefined {
  const found = (kind: InjectionKind | undefined, where: InjectionMatch['where']): InjectionMatch | undefined =>
    kind
      ? {
          kind,
          where,
          reason: `possible prompt injection: ${KIND_TEXT[kind]}${where === 'text' ? '' : where === 'quoted' ? ' (in the quoted email)' : ' (in an attachment name)'}`,
        }
      : undefined;
  const inText = found(classify(input.text), 'text');
  if (inText) return inText;
  if (input.fullText && input.fullText !== input.text) {
    const quoted = found(classify(input.fullText), 'quoted');
    if (quoted) return quoted;
  }
  for (const name of input.attachmentNames ?? []) {
    const hit = found(classify(name.replace(/[_.\-+]+/g, ' ')), 'attachment');
    if (hit) return hit;
  }
  return undefined;
}

/** Reads what detectInjection needs from a stored message's meta (attachments' names, the full email). */
export function injectionInputOf(text: string, meta: string | null): Parameters<typeof detectInjection>[0] {
  if (!meta) return { text };
  try {
    const m = JSON.parse(meta) as { fullText?: unknown; attachments?: unknown };
    const names = Array.isArray(m.attachments)
      ? m.attachments.flatMap((a: unknown) => {
          const n = (a as { filename?: unknown; name?: unknown } | null)?.filename ?? (a as { name?: unknown } | null)?.name;
          return typeof n === 'string' ? [n] : [];
        })
      : [];
    return { text, fullText: typeof m.fullText === 'string' ? m.fullText : null, attachmentNames: names };
  } catch {
    return { text };
  }
}
