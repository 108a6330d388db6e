/** The bot's own words, in each language it speaks. */

type Locale = 'en' | 'zh';

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
