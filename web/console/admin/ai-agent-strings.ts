/** The AI agent mode page's labels, in English and simplified Chinese. */
import { defineStrings } from '../i18n.js';

const en = {
  title: 'AI agent mode',
  intro:
    'When on, the assistant may answer a customer itself when the FAQ is unsure between a few entries, using only those entries. It never answers out-of-scope questions, complaints, VIP or high-priority customers, messages that try to instruct it, or anything it says a person must check; "talk to a person" always reaches a person. Each automatic answer is labelled "automatic" in the conversation, and every decision is shown in its history with the reason.',
  enabled: 'Answer customers automatically',
  channels: 'Channels',
  channelsHint: 'None ticked: every channel.',
  teams: 'Teams',
  teamsHint: 'None ticked: every team and the general queue.',
  noTeams: 'No teams yet: every conversation is covered.',
  cap: 'Most automatic answers per conversation',
  capHint: 'After that, the conversation goes to a person.',
  capInvalid: 'must be a whole number from 1 to 20',
  status: 'Off',
  statusOn: 'On',
  setBy: 'Last changed by {name}, {at}',
  never: 'Never changed: off by default.',
  channel_telegram: 'Telegram',
  channel_discord: 'Discord',
  channel_email: 'Email',
  channel_webchat: 'Web chat',
};

const zh: typeof en = {
  title: 'AI 自动回复',
  intro:
    '开启后，当 FAQ 在几个条目之间拿不准时，助手可以只依据这些条目直接回复客户。超出范围的问题、投诉、VIP 或高优先级客户、试图向助手下指令的消息、以及助手认为需要人工确认的内容，一律不会自动回复；客户要求“转人工”时总会转给人工。每条自动回复在对话中标为“自动”，每次决定及其原因都会记录在对话历史中。',
  enabled: '自动回复客户',
  channels: '渠道',
  channelsHint: '都不勾选：所有渠道。',
  teams: '团队',
  teamsHint: '都不勾选：所有团队和公共队列。',
  noTeams: '还没有团队：所有对话都适用。',
  cap: '每个对话最多自动回复次数',
  capHint: '超过后，对话转给人工。',
  capInvalid: '必须是 1 到 20 之间的整数',
  status: '已关闭',
  statusOn: '已开启',
  setBy: '{name} 最后修改于 {at}',
  never: '从未修改：默认关闭。',
  channel_telegram: 'Telegram',
  channel_discord: 'Discord',
  channel_email: '邮件',
  channel_webchat: '网页聊天',
};

export type AiAgentKey = keyof typeof en;
export const ta = defineStrings<AiAgentKey>(en, zh);
