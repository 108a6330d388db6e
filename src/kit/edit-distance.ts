/**
 * Levenshtein distance over code points (so a Chinese character or an emoji counts once), with
 * two rows of memory.
 */
export function levenshtein(a: string, b: string): number {
  const s = [...a];
  const t = [...b];
  if (s.length === 0) return t.length;
  if (t.length === 0) return s.length;
  let prev = Array.from({ length: t.length + 1 }, (_, j) => j);
  let cur = new Array<number>(t.length + 1);
  for (let i = 1; i <= s.length; i++) {
    cur[0] = i;
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[t.length]!;
}

/** Distance divided by the longer length: 0 identical, 1 nothing in common. Whitespace runs count as one space. */
export function normalisedEditDistance(a: string, b: string): number {
  const x = a.trim().replace(/\s+/gu, ' ');
  const y = b.trim().replace(/\s+/gu, ' ');
  const longest = Math.max([...x].length, [...y].length);
  return longest === 0 ? 0 : levenshtein(x, y) / longest;
}
