/**
 * The newest message id seen per chat, in or out. A reply quotes the customer's message only
 * when something else came after it (or in a group, where several people talk): directly
 * below the question a quote is noise. After a restart nothing is known, so replies quote.
 */
export class LatestMessages {
  private readonly latest = new Map<string, number>();

  constructor(private readonly maxChats = 50_000) {}

  note(chatId: string, messageId: number): void {
    const seen = this.latest.get(chatId);
    if (seen !== undefined && seen >= messageId) return;
    this.latest.delete(chatId);
    this.latest.set(chatId, messageId);
    // Maps iterate in insertion order, so the first key is the chat quiet for longest.
    if (this.latest.size > this.maxChats) this.latest.delete(this.latest.keys().next().value!);
  }

  shouldQuote(chatId: string, messageId: number): boolean {
    return chatId.startsWith('-') || this.latest.get(chatId) !== messageId;
  }
}
