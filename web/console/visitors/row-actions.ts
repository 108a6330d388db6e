import type { PageContext } from '../page.js';
import type { VisitorItem } from './types.js';

/**
 * Buttons other parts add to each visitor's row on the Visitors page (an "Invite to chat", say):
 * push a function returning the node to show, or null for a visitor it does not apply to. Rows are
 * rebuilt on every refresh, so an action keeps no state in its node.
 */
export type VisitorRowAction = (visitor: VisitorItem, ctx: PageContext) => HTMLElement | null;

export const visitorRowActions: VisitorRowAction[] = [];
