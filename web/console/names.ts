import { defineStrings } from './i18n.js';

const t = defineStrings({ visitor: 'Visitor {n}', agent: 'agent {id}' }, { visitor: '访客 {n}', agent: '客服 {id}' });

/** The customer fields the name is made from; the list, the conversation and the panel all have them. */
export interface NamedCustomer {
  id: string;
  displayName: string | null;
  email: string | null;
  identities?: { displayName: string | null; username: string | null }[];
}

/**
 * The name an agent calls a customer by: the real name, else the email, else a channel name or
 * handle, else "Visitor 4821" — four digits taken from the id, so the same anonymous web-chat
 * visitor keeps the same label everywhere and two visitors rarely share one.
 */
export function customerLabel(c: NamedCustomer | null | undefined): string {
  if (!c) return t('visitor', { n: '—' });
  const identity = c.identities?.find((i) => i.displayName || i.username);
  const named = c.displayName || c.email || identity?.displayName || (identity?.username ? '@' + identity.username : '');
  if (named) return named;
  let hash = 0;
  for (const ch of c.id) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  return t('visitor', { n: String(1000 + (hash % 9000)) });
}

/** An agent's name from the directory the shell loaded, or a recognisable stand-in. */
export function agentLabel(agents: Map<string, { name: string }>, id: string | null | undefined): string {
  if (!id) return '';
  return agents.get(id)?.name ?? t('agent', { id });
}
