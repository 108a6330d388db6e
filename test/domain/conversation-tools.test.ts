import { describe, expect, it } from 'vitest';
import { normalizeLabel, MAX_LABEL_LENGTH } from '../../src/domain/labels.js';
import { mentionedAgents, MAX_MENTIONS } from '../../src/domain/mentions.js';
import { customerNameFallback, renderCanned } from '../../src/domain/canned.js';
import { ValidationError } from '../../src/domain/errors.js';

describe('labels', () => {
  it.each([
    ['  Refund ', 'refund'],
    ['VIP', 'vip'],
    ['ＶＩＰ', 'vip'],
    ['退款', '退款'],
    ['Billing   Issue', 'billing issue'],
    ['order-42', 'order-42'],
    ['a:b/c_d.e', 'a:b/c_d.e'],
  ])('%j is stored as %j', (raw, label) => {
    expect(normalizeLabel(raw)).toBe(label);
  });

  it.each(['', '   ', '-start', 'semi;colon', '<b>', 'x'.repeat(MAX_LABEL_LENGTH + 1), 'tab\there'.replace('\t', '\u0000')])(
    'refuses %j',
    (raw) => {
      expect(() => normalizeLabel(raw)).toThrow(ValidationError);
    },
  );

  it('counts characters, not UTF-16 units, against the cap', () => {
    expect(normalizeLabel('退'.repeat(MAX_LABEL_LENGTH))).toHaveLength(MAX_LABEL_LENGTH);
  });
});

describe('mentions', () => {
  const agents = [
    { id: 'a1', name: 'Ada' },
    { id: 'a2', name: 'Adam' },
    { id: 'a3', name: 'Bo Li' },
    { id: 'a4', name: '小王' },
  ];
  const ids = (text: string) => mentionedAgents(text, agents).map((a) => a.id);

  it('finds names, longest first, case-insensitively, with spaces', () => {
    expect(ids('@ada please look')).toEqual(['a1']);
    expect(ids('@Adam, and @Ada.')).toEqual(['a2', 'a1']);
    expect(ids('cc @Bo Li')).toEqual(['a3']);
    expect(ids('@小王 请看一下')).toEqual(['a4']);
  });

  it('ignores email addresses, unknown names and names running on', () => {
    expect(ids('write to ada@example.com')).toEqual([]);
    expect(ids('@Adamson')).toEqual([]);
    expect(ids('@nobody')).toEqual([]);
    expect(ids('@ada @ada @ADA')).toEqual(['a1']);
  });

  it('notifies at most MAX_MENTIONS agents', () => {
    const many = Array.from({ length: MAX_MENTIONS + 5 }, (_, i) => ({ id: `m${i}`, name: `agent${i}` }));
    expect(mentionedAgents(many.map((a) => `@${a.name}`).join(' '), many)).toHaveLength(MAX_MENTIONS);
  });
});

describe('canned rendering', () => {
  const values = { 'customer.name': 'Ada', 'agent.name': 'Bo', 'conversation.id': 'c-1' };

  it('substitutes the known placeholders and leaves the rest as written', () => {
    expect(renderCanned('Hi {{customer.name}}, {{ agent.name }} here ({{conversation.id}}). {{order.total}} {{customer.name', values)).toBe(
      'Hi Ada, Bo here (c-1). {{order.total}} {{customer.name',
    );
  });

  it('is text substitution only: values are not rendered again, nothing is evaluated', () => {
    expect(renderCanned('{{customer.name}}', { ...values, 'customer.name': '{{agent.name}}' })).toBe('{{agent.name}}');
    expect(renderCanned('{{constructor}} {{__proto__}} {{7*7}} ${1+1}', values)).toBe('{{constructor}} {{__proto__}} {{7*7}} ${1+1}');
  });

  it('has a readable fallback for a customer without a name, in their language', () => {
    expect(customerNameFallback('zh')).toBe('客户');
    expect(customerNameFallback('en')).toBe('customer');
    expect(customerNameFallback(null)).toBe('customer');
  });
});
