import { formatDateTime } from '../i18n.js';
import { agentLabel } from '../names.js';
import type { Agent } from '../types.js';
import { t } from './strings.js';
import { aiAgentLine } from './ai-agent-text.js';
import type { Priority, TimelineEvent } from './types.js';

/** The sentence a system line says for one timeline event, or null for one it does not show. */
export function timelineText(e: TimelineEvent, agents: Map<string, Agent>): string | null {
  const who = (id: unknown) =>
    id === 'customer' ? t('by.customer') : id === 'system' || typeof id !== 'string' ? t('by.system') : agentLabel(agents, id);
  const by = who(e.by);
  const str = (v: unknown) => (typeof v === 'string' ? v : '');
  switch (e.type) {
    case 'status': {
      const agent = who(e.assigneeId);
      switch (e.action) {
        case 'open':
          return t('sys.open');
        case 'handoff':
          return t('sys.handoff');
        case 'claim':
          return t('sys.claim', { agent });
        case 'assign':
          return t('sys.assign', { agent });
        case 'release':
          return t('sys.release', { by });
        case 'transfer':
          return t('sys.transfer', { by, agent });
        case 'resolve':
          return t('sys.resolve', { by });
        case 'reopen':
          return t('sys.reopen');
        case 'close':
          return t('sys.close');
        default:
          return null;
      }
    }
    case 'priority':
      return t('sys.priority', { by, priority: t(`priority.${str(e.priority) as Priority}`) });
    case 'label':
      return t(e.action === 'remove' ? 'sys.labelRemove' : 'sys.labelAdd', { by, label: str(e.label) });
    case 'snooze':
      if (e.action === 'snooze') return t('sys.snooze', { by, time: typeof e.until === 'number' ? formatDateTime(e.until) : '' });
      return e.action === 'wake' ? t('sys.wake') : t('sys.unsnooze', { by });
    case 'participant':
      return t(e.action === 'remove' ? 'sys.participantRemove' : 'sys.participantAdd', { agent: who(e.agentId) });
    case 'sla.breached':
      return t(e.target === 'resolution' ? 'sys.slaResolution' : 'sys.slaFirst', {
        time: typeof e.dueAt === 'number' ? formatDateTime(e.dueAt) : '',
      });
    case 'csat':
      return t('sys.csat', { score: typeof e.score === 'number' ? e.score : '?' });
    case 'ai_agent':
      return aiAgentLine(e);
    default:
      return null;
  }
}
