/**
 * The ceiling page of bench/console.ts, bundled for the browser: the same rows from the same JSON
 * with the same DOM calls as the inbox (inbox/row.ts renderRow), and nothing else — no sign-in,
 * no directory, no router, no live stream.
 */
import { renderRow } from '../web/console/inbox/row.js';
import type { InboxItem } from '../web/console/inbox/types.js';

const items = (await (await fetch('/data.json')).json()) as InboxItem[];
const now = Date.now();
const agents = new Map();
document.getElementById('list')!.replaceChildren(...items.map((item) => renderRow(item, { agents, unread: true, open: false, now })));
