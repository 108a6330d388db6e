import { describe, expect, it } from 'vitest';
import { numberedParams } from '../../src/store/pg/params.js';

describe('SQLite placeholders on PostgreSQL', () => {
  it('numbers each placeholder in order', () => {
    expect(numberedParams('select "id" from "t" where "a" = ? and "b" in (?, ?) limit ?')).toBe(
      'select "id" from "t" where "a" = $1 and "b" in ($2, $3) limit $4',
    );
  });

  it('leaves question marks inside strings and quoted identifiers alone', () => {
    expect(numberedParams(`select '?', 'it''s ?', "odd?name" from t where x = ?`)).toBe(
      `select '?', 'it''s ?', "odd?name" from t where x = $1`,
    );
  });

  it('leaves a statement without placeholders as it is', () => {
    expect(numberedParams('select 1')).toBe('select 1');
  });
});
