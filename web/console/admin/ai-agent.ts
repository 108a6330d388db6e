/**
 * AI agent mode (GET/PUT /api/settings/ai-agent): on or off, the channels and teams it covers,
 * and the per-conversation cap. The guardrails themselves are fixed in the server's code; the
 * page says what they are, so an admin knows what turning it on means.
 */
import { el } from '../dom.js';
import { formatDateTime } from '../i18n.js';
import { agentLabel } from '../names.js';
import type { PageContext } from '../page.js';
import { ta, type AiAgentKey } from './ai-agent-strings.js';
import { t } from './strings.js';
import { CHANNELS, type Team } from './types.js';
import { checkbox, failure, Form, heading, input } from './ui.js';

interface AiAgentSettings {
  enabled: boolean;
  channels: string[];
  teams: string[];
  maxAnswersPerConversation: number;
  updatedAt: string | null;
  updatedBy: string | null;
}

export function aiAgentSection(root: HTMLElement, ctx: PageContext): void {
  const statusBox = el('p', 'admin-hint');
  const formBox = el('div', '');

  const showStatus = (s: AiAgentSettings) =>
    statusBox.replaceChildren(
      el('strong', '', s.enabled ? ta('statusOn') : ta('status')),
      ' · ',
      s.updatedAt ? ta('setBy', { name: agentLabel(ctx.agents, s.updatedBy), at: formatDateTime(s.updatedAt) }) : ta('never'),
    );

  async function load(): Promise<void> {
    try {
      const [s, teams] = await Promise.all([
        ctx.call<AiAgentSettings>('GET', '/settings/ai-agent'),
        ctx.call<{ items: Team[] }>('GET', '/teams'),
      ]);
      showStatus(s);
      formBox.replaceChildren(settingsForm(s, teams.items));
    } catch (err) {
      formBox.replaceChildren(failure(err));
    }
  }

  function settingsForm(s: AiAgentSettings, teams: Team[]): HTMLElement {
    const form = new Form('admin-ai-agent', async (f) => {
      const data = new FormData(f.node);
      const cap = Number(data.get('maxAnswersPerConversation'));
      if (!Number.isInteger(cap) || cap < 1 || cap > 20) f.fail('maxAnswersPerConversation', ta('capInvalid'));
      const saved = await ctx.call<AiAgentSettings>('PUT', '/settings/ai-agent', {
        // A ticked box is in the form data (its value is empty), an unticked one is not.
        enabled: data.has('enabled'),
        channels: data.getAll('channels').map(String),
        teams: data.getAll('teams').map(String),
        maxAnswersPerConversation: cap,
      });
      ctx.notice(t('saved'));
      showStatus(saved);
    });
    const enabled = checkbox('enabled', ta('enabled'), s.enabled);
    form.group('enabled', ta('title'), enabled.node);
    form.group(
      'channels',
      ta('channels'),
      el('p', 'admin-hint', ta('channelsHint')),
      ...CHANNELS.map((c) => checkbox('channels', ta(`channel_${c}` as AiAgentKey), s.channels.includes(c), c).node),
    );
    form.group(
      'teams',
      ta('teams'),
      el('p', 'admin-hint', teams.length ? ta('teamsHint') : ta('noTeams')),
      ...teams.map((team) => checkbox('teams', team.name, s.teams.includes(team.id), team.id).node),
    );
    const cap = input('number', 'maxAnswersPerConversation', String(s.maxAnswersPerConversation));
    cap.min = '1';
    cap.max = '20';
    cap.step = '1';
    form.field('maxAnswersPerConversation', ta('cap'), cap, ta('capHint'));
    form.actions(t('save'));
    return form.node;
  }

  root.append(el('section', 'admin-panel', heading(2, ta('title')), el('p', 'admin-hint', ta('intro')), statusBox, formBox));
  void load();
}
