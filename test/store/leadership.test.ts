import { describe, expect, it } from 'vitest';
import { postgresLeadership } from '../../src/store/leadership.js';
import { silentLogger } from '../../src/log.js';
import { eventually } from '../support/app.js';
import { createTestDatabase, TEST_DATABASE_URL } from '../support/postgres.js';

describe.skipIf(!TEST_DATABASE_URL)('leadership over a PostgreSQL advisory lock', () => {
  it('lets one instance lead, and another take over when it goes', async () => {
    const db = await createTestDatabase();
    const running = new Set<string>();
    const starts: string[] = [];
    const make = (who: string) => {
      const l = postgresLeadership(db.url, silentLogger, 100);
      void l.hold(
        'poller',
        async () => void (running.add(who), starts.push(who)),
        async () => void running.delete(who),
      );
      return l;
    };
    const a = make('a');
    await eventually(async () => running.size === 1, 5000, 'a leader');
    const b = make('b');
    await new Promise((r) => setTimeout(r, 400));
    expect([...running]).toEqual(['a']);
    expect([a.roles(), b.roles()]).toEqual([{ poller: 'leader' }, { poller: 'follower' }]);
    await a.close();
    await eventually(async () => running.has('b'), 5000, 'b takes over');
    expect(b.roles()).toEqual({ poller: 'leader' });
    expect(starts).toEqual(['a', 'b']);
    await b.close();
    expect(running.size).toBe(0);
    await db.drop();
  });
});
