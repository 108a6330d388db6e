/** The bot's own words, in each language it speaks. */

export type Locale = 'en' | 'zh';

export function greeting(locale: Locale): string {
  return locale === 'zh'
    ? '您好！我是客服助手。请直接输入您的问题；如需人工客服，请发送“人工”。'
    : 'Hello! I am the support assistant. Ask me anything; type "human" at any time to reach a person.';
}

/** Honest about the wait: says how many conversations are ahead instead of promising a time. */
export function holdingReply(locale: Locale, ahead: number): string {
  if (locale === 'zh') {
    return ahead > 0
      ? `已为您转接人工客服，前面还有 ${ahead} 位客户在等待。客服人员会在这里回复您，请稍候。`
      : '已为您转接人工客服，客服人员会在这里回复您，请稍候。';
  }
  return ahead > 0
    ? `I've passed your message to our team; ${ahead} ${ahead === 1 ? 'customer is' : 'customers are'} ahead of you. A person will reply here.`
    : "I've passed your message to our team. A person will reply here shortly.";
}

/** Sent when an agent resolves a conversation; a reply of 1–5 is recorded instead of reopening it. */
export function csatQuestion(locale: Locale): string {
  return locale === 'zh'
    ? '问题已解决。请为本次服务打分：回复 1–5（5 表示非常满意）。如还有其他问题，直接回复即可。'
    : 'Glad we could help. How did we do? Reply with a number from 1 (poor) to 5 (great). If something is still open, just write back.';
}

export function csatThanks(locale: Locale): string {
  return locale === 'zh' ? '感谢您的评价！' : 'Thank you for your feedback!';
}

/** Sent with the choices when the FAQ is unsure which entry the customer means. */
export function choicesPrompt(locale: Locale): string {
  return locale === 'zh' ? '我不太确定您想问的是哪一个，请选择：' : "I'm not sure which of these you mean. Please pick one:";
}

/** The choice that always comes last: a person instead of the FAQ. */
export function personChoiceLabel(locale: Locale): string {
  return locale === 'zh' ? '转人工客服' : 'Talk to a person';
}
