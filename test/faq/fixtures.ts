/** Writes a small knowledge base into a fresh temporary directory. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export function entryFile(id: string, questions: string[], answer: string, extra = ''): string {
  return `---\nid: ${id}\nquestions:\n${questions.map((q) => `  - ${q}`).join('\n')}\n${extra}---\n${answer}\n`;
}

export function writeKb(files: Record<string, string>, dir = mkdtempSync(join(tmpdir(), 'faq-'))): string {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

export const smallKb = {
  'en/returns.md': entryFile(
    'returns',
    ['How do I return an item?', 'Can I send my order back?'],
    'Returns are free within 30 days.',
    'tags: [returns]\nteam: billing\n',
  ),
  'zh/returns.md': entryFile('returns', ['怎么退货？', '可以把商品寄回去吗？'], '30 天内免费退货。', 'tags: [returns]\nteam: billing\n'),
  'en/shipping.md': entryFile('shipping', ['How long does shipping take?', 'When will my package arrive?'], 'Shipping takes 3 to 5 days.'),
  'zh/shipping.md': entryFile('shipping', ['送货要多久？', '包裹什么时候到？'], '配送需要 3 到 5 天。'),
};

/**
 * smallKb plus two entries close enough that a question about both topics at once ("gift card")
 * is neither answered nor handed off: the bot offers both as choices.
 */
export const closeEntriesKb = {
  ...smallKb,
  'en/gift-card-balance.md': entryFile(
    'gift-card-balance',
    ['How do I check my gift card balance?', 'How much money is left on my gift card?'],
    'Your gift card balance is shown at checkout.',
  ),
  'zh/gift-card-balance.md': entryFile('gift-card-balance', ['怎么查询礼品卡余额？', '我的礼品卡还剩多少钱？'], '结账时会显示礼品卡余额。'),
  'en/gift-card-expiry.md': entryFile(
    'gift-card-expiry',
    ['Does my gift card expire?', 'How long is a gift card valid?'],
    'Gift cards never expire.',
  ),
  'zh/gift-card-expiry.md': entryFile('gift-card-expiry', ['礼品卡会过期吗？', '礼品卡有效期多久？'], '礼品卡永不过期。'),
};
