/** The bot's own words, in each language it speaks. */

export type Locale = 'en' | 'zh';

export function greeting(locale: Locale): string {
  return locale === 'zh'
    ? '您好！我是客服助手。请直接输入您的问题；如需人工客服，请发送“人工”。'
    : 'Hello! I am the support assistant. Ask me anything; type "human" at any time to reach a person.';
}

/**
 * What the customer is told of the team's hours on hand-off: in hours, the usual wait (the median
 * first response of the last day, business time; null without data); out of hours, when the team
 * is back, shown in `timeZone` (the customer's when known, else the business zone, named).
 */
export type TeamHours = { open: true; usualWaitMs: number | null } | { open: false; backAt: number; timeZone: string; now: number };

/** Honest about the wait: how many conversations are ahead and the usual wait, or when the team is back; never a promise. */
export function holdingReply(locale: Locale, ahead: number, hours: TeamHours = { open: true, usualWaitMs: null }): string {
  if (!hours.open) {
    const back = `${formatWhen(locale, hours.backAt, hours.timeZone, hours.now)} (${hours.timeZone})`;
    return locale === 'zh'
      ? `已为您转接人工客服。现在是非工作时间，客服将于 ${back} 回来，届时会在这里回复您。`
      : `I've passed your message to our team. We're away right now; our team is back ${back} and a person will reply here then.`;
  }
  const wait = hours.usualWaitMs == null ? null : formatWait(locale, hours.usualWaitMs);
  if (locale === 'zh') {
    const queue = ahead > 0 ? `，前面还有 ${ahead} 位客户在等待` : '';
    if (wait) return `已为您转接人工客服${queue}，通常等待${wait}。客服人员会在这里回复您，请稍候。`;
    return ahead > 0
      ? `已为您转接人工客服${queue}。客服人员会在这里回复您，请稍候。`
      : '已为您转接人工客服，客服人员会在这里回复您，请稍候。';
  }
  const queue = ahead > 0 ? `; ${ahead} ${ahead === 1 ? 'customer is' : 'customers are'} ahead of you` : '';
  if (wait) return `I've passed your message to our team${queue}. The usual wait is ${wait}; a person will reply here.`;
  return ahead > 0
    ? `I've passed your message to our team${queue}. A person will reply here.`
    : "I've passed your message to our team. A person will reply here shortly.";
}

/** "about 25 minutes" / "约 25 分钟": rounded, never "0". */
export function formatWait(locale: Locale, ms: number): string {
  const minutes = Math.max(1, Math.round(ms / 60_000));
  if (minutes < 60) return locale === 'zh' ? `约 ${minutes} 分钟` : `about ${minutes} ${minutes === 1 ? 'minute' : 'minutes'}`;
  const hours = Math.round(minutes / 30) / 2;
  return locale === 'zh' ? `约 ${hours} 小时` : `about ${hours} ${hours === 1 ? 'hour' : 'hours'}`;
}

/** "Monday 09:00" / "周一 09:00" within the coming week, with the date further out ("Monday 5 October 09:00" / "10月5日 周一 09:00"). */
export function formatWhen(locale: Locale, at: number, timeZone: string, now: number): string {
  const tag = locale === 'zh' ? 'zh-CN' : 'en-GB';
  const part = (o: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat(tag, { timeZone, ...o }).format(at);
  const weekday = part({ weekday: locale === 'zh' ? 'short' : 'long' });
  const time = part({ hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  if (at - now < 6 * 86_400_000) return `${weekday} ${time}`;
  return locale === 'zh'
    ? `${part({ month: 'long', day: 'numeric' })} ${weekday} ${time}`
    : `${weekday} ${part({ day: 'numeric', month: 'long' })} ${time}`;
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
