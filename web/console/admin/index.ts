/**
 * The admin pages, one ConsolePage per section (#/admin/<section>). Each page checks the role
 * itself: the shell hides admin navigation from agents, but a typed or bookmarked route still
 * lands here, and gets a polite refusal instead of a row of 403s.
 */
import { el } from '../dom.js';
import type { ConsolePage, PageContext } from '../page.js';
import { agentsSection } from './agents.js';
import { aiAgentSection } from './ai-agent.js';
import { cannedSection } from './canned.js';
import { faqSection } from './faq.js';
import { invitationsSection } from './invitations.js';
import { routingSection } from './routing.js';
import { slaSection } from './sla.js';
import { t, type AdminKey } from './strings.js';
import { teamsSection } from './teams.js';
import { webhooksSection } from './webhooks.js';

/** Builds a section into `root`; may return what stops its timers. */
export type Section = (root: HTMLElement, ctx: PageContext) => (() => void) | void;

const SECTIONS: [section: string, title: AdminKey, build: Section][] = [
  ['agents', 'navAgents', agentsSection],
  ['teams', 'navTeams', teamsSection],
  ['routing', 'navRouting', routingSection],
  ['canned', 'navCanned', cannedSection],
  ['sla', 'navSla', slaSection],
  ['webhooks', 'navWebhooks', webhooksSection],
  ['faq', 'navFaq', faqSection],
  ['ai-agent', 'navAiAgent', aiAgentSection],
  ['invitations', 'navInvitations', invitationsSection],
];

function sectionNav(current: string): HTMLElement {
  const nav = el(
    'nav',
    'admin-nav',
    ...SECTIONS.map(([section, title]) => {
      const a = el('a', 'admin-nav-link', t(title));
      a.href = '#/admin/' + section;
      if (section === current) a.setAttribute('aria-current', 'page');
      return a;
    }),
  );
  nav.setAttribute('aria-label', t('navLabel'));
  return nav;
}

function adminPage(section: string, title: AdminKey, build: Section): ConsolePage {
  return {
    route: 'admin/' + section,
    title: () => t(title),
    adminOnly: true,
    mount(root, ctx) {
      let stop: (() => void) | void;
      // A language switch rebuilds the section from the API: simpler than relabelling every node, and cheap.
      const render = () => {
        stop?.();
        const h1 = el('h1', 'admin-h1', t(title));
        const page = el('div', 'admin-page');
        if (ctx.me.role !== 'admin') {
          page.append(h1, el('p', 'admin-refused', t('refused')));
          root.replaceChildren(page);
          stop = undefined;
          return;
        }
        const body = el('div', 'admin-body');
        page.append(sectionNav(section), h1, body);
        root.replaceChildren(page);
        stop = build(body, ctx);
      };
      render();
      window.addEventListener('localechange', render);
      return () => {
        window.removeEventListener('localechange', render);
        stop?.();
        root.replaceChildren();
      };
    },
  };
}

/** Every admin section, in navigation order. */
export const adminPages: ConsolePage[] = SECTIONS.map(([section, title, build]) => adminPage(section, title, build));
