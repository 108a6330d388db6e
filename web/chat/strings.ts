/**
 * The chat page's words in English and simplified Chinese, side by side so the compiler refuses
 * a key one language lacks (the same shape as the console's defineStrings). The language is not
 * the console's stored choice: it comes from the shop's page (`data-lang`, `<html lang>`, passed
 * by widget.js as `?lang=`) or else the visitor's browser.
 */

export type Lang = 'en' | 'zh';

function pick(): Lang {
  const asked = new URLSearchParams(location.search).get('lang');
  if (asked === 'en' || asked === 'zh') return asked;
  for (const l of navigator.languages?.length ? navigator.languages : [navigator.language]) {
    const tag = (l || '').toLowerCase();
    if (tag.startsWith('zh')) return 'zh';
    if (tag.startsWith('en')) return 'en';
  }
  return 'en';
}

export const lang: Lang = pick();
export const langTag = lang === 'zh' ? 'zh-CN' : 'en';

const en = {
  attach: 'Attach a file',
  removeFile: 'Remove {name}',
  uploading: 'Sending {name}… {percent}%',
  fileTooLarge: '{name} is too large: files may be at most {max}.',
  tooManyFiles: 'At most {max} files can be sent in one message.',
  fileFailed: '{name} could not be sent: {reason}',
  download: 'Download {name}',
  dropHere: 'Drop files to attach them',
  title: 'Chat with {name}',
  close: 'Close chat',
  message: 'Your message',
  placeholder: 'Type your message… (type “human” to reach a person)',
  send: 'Send',
  you: 'You',
  assistant: 'Assistant',
  agent: '{name}',
  typing: '{name} is typing…',
  reconnecting: 'Reconnecting…',
  expired: 'Your chat session expired; please send your message again.',
  network: 'Network problem, retrying…',
  slowDown: 'You are sending messages too fast. Please wait {seconds} s and try again.',
  failed: 'Your message could not be sent: {reason}',
  online: 'We usually reply in a few minutes',
  messages: 'Messages',
  preIntro: 'Before we start, please tell us your name and email.',
  preName: 'Your name',
  preEmail: 'Your email',
  preStart: 'Start chat',
  preNameMissing: 'Please enter your name.',
  preEmailBad: 'Please enter an email address like name@example.com.',
  identityRefused: 'We could not confirm your account, so this chat is not linked to it.',
  awayClosed: 'We are away right now and back {time}.',
  awayNobody: 'No one is online right now.',
  awayAsk: 'Leave your email and we will get back to you as soon as we can.',
  awaySub: 'Away — we reply when we are back',
  awaySave: 'Leave my email',
};

const zh: typeof en = {
  attach: '添加文件',
  removeFile: '移除 {name}',
  uploading: '正在发送 {name}… {percent}%',
  fileTooLarge: '{name} 太大：文件不能超过 {max}。',
  tooManyFiles: '每条消息最多只能发送 {max} 个文件。',
  fileFailed: '{name} 发送失败：{reason}',
  download: '下载 {name}',
  dropHere: '拖放文件到这里即可添加',
  title: '与{name}聊天',
  close: '关闭聊天',
  message: '您的消息',
  placeholder: '请输入消息…（输入“人工”联系客服）',
  send: '发送',
  you: '您',
  assistant: '智能助手',
  agent: '{name}',
  typing: '{name}正在输入…',
  reconnecting: '正在重新连接…',
  expired: '会话已过期，请重新发送消息。',
  network: '网络有问题，正在重试…',
  slowDown: '您发送得太快了，请等待 {seconds} 秒后再试。',
  failed: '消息未能发送：{reason}',
  online: '我们通常会在几分钟内回复',
  messages: '消息',
  preIntro: '开始之前，请留下您的姓名和邮箱。',
  preName: '您的姓名',
  preEmail: '您的邮箱',
  preStart: '开始聊天',
  preNameMissing: '请输入您的姓名。',
  preEmailBad: '请输入有效的邮箱地址，例如 name@example.com。',
  identityRefused: '无法验证您的账户，此次聊天不会关联到该账户。',
  awayClosed: '我们现在不在线，将于{time}回来。',
  awayNobody: '目前没有客服在线。',
  awayAsk: '请留下您的邮箱，我们会尽快回复您。',
  awaySub: '暂时离开——回来后会回复您',
  awaySave: '留下邮箱',
};

export type Key = keyof typeof en;

/** Plain text with `{name}` filled in; callers put it in text nodes only. */
export function t(key: Key, vars: Record<string, string | number> = {}): string {
  return (lang === 'zh' ? zh : en)[key].replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m));
}

export function formatTime(iso: string): string {
  const d = new Date(iso);
  const sameDay = d.toDateString() === new Date().toDateString();
  return new Intl.DateTimeFormat(langTag, sameDay ? { timeStyle: 'short' } : { dateStyle: 'medium', timeStyle: 'short' }).format(d);
}

export function formatDateTime(iso: string): string {
  return new Intl.DateTimeFormat(langTag, { weekday: 'short', hour: 'numeric', minute: '2-digit' }).format(new Date(iso));
}
