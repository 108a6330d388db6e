import { afterAll, beforeAll, describe } from 'vitest';
import type { Store } from '../../src/store/store.js';
import { ingestContract } from './contract/ingest.js';
import { customersContract } from './contract/customers.js';
import { conversationsContract } from './contract/conversations.js';
import { messagesContract } from './contract/messages.js';
import { draftsContract } from './contract/drafts.js';
import { faqSuggestionsContract } from './contract/faq-suggestions.js';
import { outboxContract } from './contract/outbox.js';
import { agentsContract } from './contract/agents.js';
import { auditContract } from './contract/audit.js';
import { privacyContract } from './contract/privacy.js';
import { eventsContract } from './contract/events.js';
import { monitorContract } from './contract/monitor.js';
import { smallReposContract } from './contract/small-repos.js';
import { transactionsContract } from './contract/transactions.js';
import { conversationToolsContract } from './contract/conversation-tools.js';
import { teamsContract } from './contract/teams.js';
import { slaContract } from './contract/sla.js';
import { searchContract } from './contract/search.js';
import { webhooksContract } from './contract/webhooks.js';
import { reportsContract } from './contract/reports.js';
import { attachmentsContract } from './contract/attachments.js';

/**
 * One behavioural suite for every storage backend, so SQLite and PostgreSQL cannot drift apart:
 * every repository method of src/store/ports.ts runs here on both.
 */
export function storeContract(name: string, open: () => Promise<{ store: Store; dispose: () => Promise<void> }>) {
  describe(`store contract: ${name}`, () => {
    let store: Store | undefined;
    let dispose: (() => Promise<void>) | undefined;
    beforeAll(async () => {
      ({ store, dispose } = await open());
    });
    afterAll(async () => dispose?.());
    const current = (): Store => {
      if (!store) throw new Error('store not open yet');
      return store;
    };

    ingestContract(current);
    customersContract(current);
    conversationsContract(current);
    messagesContract(current);
    draftsContract(current);
    faqSuggestionsContract(current);
    outboxContract(current);
    agentsContract(current);
    auditContract(current);
    privacyContract(current);
    eventsContract(current);
    smallReposContract(current);
    monitorContract(current);
    transactionsContract(current);
    conversationToolsContract(current);
    teamsContract(current);
    slaContract(current);
    searchContract(current);
    webhooksContract(current);
    reportsContract(current);
    attachmentsContract(current);
  });
}
