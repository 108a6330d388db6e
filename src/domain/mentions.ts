/** Most agents one note may notify; more `@names` than this are not mentions but noise. */
export const MAX_MENTIONS = 10;

/**
 * The agents an internal note names as `@name`. Agent names may hold spaces ("Ada Lovelace"), so
 * each `@` is matched against the names themselves, longest first and case-insensitively; a name
 * must end at the end of the text or before a character that cannot continue it (a space,
 * punctuation), so `@Ada` does not mention "Adam". An email address (`x@y`) is no mention.
 */
export function mentionedAgents<A extends { id: string; name: string }>(text: string, agents: readonly A[]): A[] {
  const byLength = [...agents].filter((a) => a.name.length > 0).sort((a, b) => b.name.length - a.name.length);
  const lower = text.toLowerCase();
  const found = new Map<string, A>();
  for (let at = lower.indexOf('@'); at >= 0 && found.size < MAX_MENTIONS; at = lower.indexOf('@', at + 1)) {
    if (at > 0 && /[\p{L}\p{N}._-]/u.test(lower[at - 1]!)) continue;
    const rest = lower.slice(at + 1);
    const agent = byLength.find((a) => {
      const name = a.name.toLowerCase();
      return rest.startsWith(name) && !/^[\p{L}\p{N}_-]/u.test(rest.slice(name.length));
    });
    if (agent) found.set(agent.id, agent);
  }
  return [...found.values()];
}
