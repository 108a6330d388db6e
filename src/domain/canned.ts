/**
 * Placeholders of canned responses. Rendering is plain text substitution of these names and
 * nothing else: no expressions, no helpers, no escaping rules, so a response can never run
 * anything. An unknown `{{name}}` is left as written, for the agent to see and fix.
 */
export const CANNED_PLACEHOLDERS = ['customer.name', 'agent.name', 'conversation.id'] as const;
export type CannedPlaceholder = (typeof CANNED_PLACEHOLDERS)[number];

const PLACEHOLDER = /\{\{\s*([a-z]+(?:\.[a-z]+)*)\s*\}\}/g;

export function renderCanned(text: string, values: Record<CannedPlaceholder, string>): string {
  return text.replace(PLACEHOLDER, (whole, name: string) =>
    (CANNED_PLACEHOLDERS as readonly string[]).includes(name) ? values[name as CannedPlaceholder] : whole,
  );
}

/** What stands for a customer whose name is unknown (or erased), in their language: reads in "Dear …", "Hi …", "尊敬的…". */
export function customerNameFallback(locale: string | null): string {
  return locale === 'zh' ? '客户' : 'customer';
}
