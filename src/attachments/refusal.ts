import { formatBytes } from './file-store.js';

/** Why a customer's file was not kept; said back to them on their channel. */
export type Refusal =
  | { code: 'too_large'; limit: number }
  | { code: 'too_many'; limit: number }
  | { code: 'daily'; limit: number }
  | { code: 'unreadable' }
  | { code: 'unknown' };

/** One line per refused file, in the customer's language (English unless Chinese). */
export function refusalText(refused: { name: string; why: Refusal }[], locale: string | null | undefined): string {
  const zh = /^zh/i.test(locale ?? '');
  return refused.map(({ name, why }) => (zh ? zhLine(name, why) : enLine(name, why))).join('\n');
}

function enLine(name: string, why: Refusal): string {
  const file = `"${name}"`;
  switch (why.code) {
    case 'too_large':
      return `We could not accept ${file}: files may be at most ${formatBytes(why.limit)}.`;
    case 'too_many':
      return `We could not accept ${file}: at most ${why.limit} files can be sent in one message.`;
    case 'daily':
      return `We could not accept ${file}: today's allowance of ${formatBytes(why.limit)} of files is used up. Please try again tomorrow.`;
    case 'unreadable':
      return `We could not receive ${file}. Please send it again.`;
    case 'unknown':
      return `We could not find ${file}. Please attach it again.`;
  }
}

function zhLine(name: string, why: Refusal): string {
  const file = `“${name}”`;
  switch (why.code) {
    case 'too_large':
      return `无法接收${file}：文件不能超过 ${formatBytes(why.limit)}。`;
    case 'too_many':
      return `无法接收${file}：每条消息最多只能发送 ${why.limit} 个文件。`;
    case 'daily':
      return `无法接收${file}：今天 ${formatBytes(why.limit)} 的文件额度已用完，请明天再试。`;
    case 'unreadable':
      return `未能收到${file}，请重新发送。`;
    case 'unknown':
      return `找不到${file}，请重新添加。`;
  }
}
