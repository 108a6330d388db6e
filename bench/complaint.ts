/**
 * `npx tsx bench/complaint.ts`: what complaint detection (src/pipeline/complaint.ts) costs each
 * inbound message, for a short English and Chinese message and a long email body.
 */
import { detectComplaint } from '../src/pipeline/complaint.js';

const texts: [string, string][] = [
  ['English question', 'How do I return an item? I bought it last week and it does not fit.'],
  ['Chinese question', '你好，我想问一下发货时间，订单号是12345678，谢谢'],
  ['16 KB email body', 'Thanks for the update on my order, see the details below. '.repeat(280).slice(0, 16_384)],
];
for (const [name, text] of texts) {
  const runs = name.startsWith('16') ? 2_000 : 20_000;
  for (let i = 0; i < 200; i++) detectComplaint(text);
  const start = performance.now();
  for (let i = 0; i < runs; i++) detectComplaint(text);
  console.log(`${name} (${text.length} chars): ${(((performance.now() - start) / runs) * 1000).toFixed(1)} µs per message`);
}
