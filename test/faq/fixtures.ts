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
  'en/returns.md': entryFile('returns', ['How do I return an item?', 'Can I send my order back?'], 'Returns are free within 30 days.', 'tags: [returns]\nteam: billing\n'),
  'zh/returns.md': entryFile('returns', ['怎么退货？', '可以把商品寄回去吗？'], '30 天内免费退货。', 'tags: [returns]\nteam: billing\n'),
  'en/shipping.md': entryFile('shipping', ['How long does shipping take?', 'When will my package arrive?'], 'Shipping takes 3 to 5 days.'),
  'zh/shipping.md': entryFile('shipping', ['送货要多久？', '包裹什么时候到？'], '配送需要 3 到 5 天。'),
};
