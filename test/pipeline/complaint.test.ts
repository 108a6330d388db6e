import { describe, expect, it } from 'vitest';
import { detectComplaint } from '../../src/pipeline/complaint.js';

/** [text, the phrase expected to match, or null for no complaint]. */
const ENGLISH: [string, string | null][] = [
  ['This is unacceptable!', 'this is unacceptable'],
  ['Totally UNACCEPTABLE behaviour', 'unacceptable'],
  ['Refund now or else', 'refund now'],
  ['I want my money back', 'i want my money back'],
  ['Worst service I have ever had', 'worst service'],
  ['honestly the worst experience', 'worst experience'],
  ['terrible   service', 'terrible service'],
  ['This shop is a scam', 'scam'],
  ['you scammed me', 'scammed'],
  ['what a rip off', 'rip off'],
  ['I feel ripped off', 'ripped off'],
  ['This is fraud', 'fraud*'],
  ['fraudulent charge on my card', 'fraud*'],
  ['I want to complain', 'complain*'],
  ['I will file a complaint', 'complain*'],
  ['Let me speak to your manager', 'speak to your manager'],
  ['ridiculous.', 'ridiculous'],
  ["I'm furious", 'furious'],
  ['I am fed up with this', 'fed up'],
  ['My lawyer will hear about this', 'my lawyer'],
  ['leaving a bad review', 'bad review'],
  ['What a waste of money', 'waste of money'],
  ['Incompetent people', 'incompetent'],
  ['No. This is a scam.', 'scam'],
  ['I have no complaints, but your app is the worst service ever', 'worst service'],
  // Negations take the phrase back.
  ['This is not a complaint, just a question', null],
  ['no complaints here', null],
  ['No complaints at all!', null],
  ["I don't think this is a scam", null],
  ["I'm not going to file a complaint", null],
  ['I do not want a refund now, later is fine', null],
  ['Never had a bad review from me', null],
  ['It is not unacceptable', null],
  // Not complaints at all.
  ['How do I get a refund?', null],
  ['I love the scampi at your restaurant', null],
  ['Where is my order?', null],
  ['', null],
];

const CHINESE: [string, string | null][] = [
  ['我要投诉', '投诉'],
  ['服务太差了！', '太差了'],
  ['你们就是骗子', '骗子'],
  ['给你们差评', '差评'],
  ['赶紧退钱', '退钱'],
  ['不退钱就投诉', '投诉'],
  ['什么垃圾东西', '垃圾'],
  ['这是黑店吧', '黑店'],
  ['气死我了', '气死'],
  ['真恶心', '恶心'],
  ['忍无可忍了', '忍无可忍'],
  ['你们太过分了', '太过分'],
  ['客服态度恶劣', '态度恶劣'],
  ['我很不满意', '不满意'],
  ['对你们很失望', '很失望'],
  ['我要找你们领导', '找你们领导'],
  ['我要打12315', '12315'],
  ['我要去消协', '消协'],
  ['我会起诉你们', '起诉'],
  ['ｔｈｉｓ ｉｓ ｕｎａｃｃｅｐｔａｂｌｅ', 'this is unacceptable'],
  // Negations.
  ['不是投诉，只是问一下', null],
  ['没有投诉', null],
  ['我没有任何投诉', null],
  ['放心，我不会给差评', null],
  ['不太差了', null],
  ['我并非投诉', null],
  // Not complaints.
  ['怎么退款？', null],
  ['你好，我想问一下发货时间', null],
];

describe('complaint detection', () => {
  it.each(ENGLISH)('English: %j → %s', (text, phrase) => {
    expect(detectComplaint(text)?.phrase ?? null).toBe(phrase);
  });

  it.each(CHINESE)('Chinese: %j → %s', (text, phrase) => {
    expect(detectComplaint(text)?.phrase ?? null).toBe(phrase);
  });

  it('says which language matched', () => {
    expect(detectComplaint('我要投诉')?.locale).toBe('zh');
    expect(detectComplaint('scam')?.locale).toBe('en');
  });
});
