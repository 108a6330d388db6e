/**
 * AI agent mode in a conversation's history: the "automatic" tag on the model's own answers, and
 * the line saying what it decided on a customer message and why (the `ai_agent` event).
 */
import { defineStrings } from '../i18n.js';
import type { TimelineEvent } from './types.js';

const en = {
  automatic: 'automatic',
  automaticTitle: 'Sent by AI agent mode without a person',
  answered: 'AI agent answered automatically',
  declined: 'AI agent did not answer: {reason}',
  out_of_scope: 'the FAQ does not cover the question',
  handoff_topic: 'the topic asks for a person',
  complaint: 'a complaint',
  vip: 'a VIP customer',
  high_priority: 'high priority',
  cap: 'the automatic-answer limit for this conversation was reached',
  injection: 'the message tries to instruct the assistant',
  needs_human_check: 'a person must check it',
  no_citation: 'the answer cited no FAQ entry',
  llm_unavailable: 'the model is paused (budget or failures)',
  llm_failed: 'the model failed',
  other: 'other ({reason})',
};
const zh: typeof en = {
  automatic: '自动',
  automaticTitle: '由 AI 自动回复发送，未经人工',
  answered: 'AI 已自动回复',
  declined: 'AI 未自动回复：{reason}',
  out_of_scope: 'FAQ 未涵盖该问题',
  handoff_topic: '该主题需要人工',
  complaint: '投诉',
  vip: 'VIP 客户',
  high_priority: '高优先级',
  cap: '本对话的自动回复次数已达上限',
  injection: '消息试图向助手下指令',
  needs_human_check: '需要人工确认',
  no_citation: '回复未引用任何 FAQ 条目',
  llm_unavailable: '模型已暂停（预算或故障）',
  llm_failed: '模型出错',
  other: '其他（{reason}）',
};
export const tx = defineStrings<keyof typeof en>(en, zh);

const REASONS = new Set(Object.keys(en));

/** The history line for an `ai_agent` event. */
export function aiAgentLine(e: TimelineEvent): string {
  if (e.decision === 'answered') return tx('answered');
  const reason = typeof e.reason === 'string' ? e.reason : '';
  const said = REASONS.has(reason) && reason !== 'other' ? tx(reason as keyof typeof en) : tx('other', { reason });
  return tx('declined', { reason: said });
}
