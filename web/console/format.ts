import { state } from './state.js';
import type { Customer } from './types.js';

export const agentName = (id: string | null | undefined): string => (id ? (state.agents.get(id) || { name: 'agent ' + id }).name : '');

export const customerName = (c: Customer | null | undefined): string => (c && (c.displayName || c.email)) || 'Customer';

export const when = (iso: string | null | undefined): string => (iso ? new Date(iso).toLocaleString() : '');

export function waited(iso: string | null | undefined): string {
  if (!iso) return '';
  const min = Math.max(0, Math.round((Date.now() - new Date(iso).getTime()) / 60000));
  return min < 60 ? 'waiting ' + min + ' min' : 'waiting ' + Math.floor(min / 60) + ' h ' + (min % 60) + ' min';
}
