/** A web-chat customer speaking the widget's HTTP API, with an SSE reader for the event stream. */

export interface ChatItem {
  id: string;
  direction: 'in' | 'out';
  author: string;
  text: string;
  choices?: { id: string; label: string }[];
  createdAt: string;
}

export class WebchatCustomer {
  private constructor(
    readonly baseUrl: string,
    readonly sessionId: string,
    readonly secret: string,
  ) {}

  /** The same customer on another server instance (after a restart). */
  static resume(baseUrl: string, sessionId: string, secret: string): WebchatCustomer {
    return new WebchatCustomer(baseUrl, sessionId, secret);
  }

  static async open(baseUrl: string): Promise<WebchatCustomer> {
    const res = await fetch(`${baseUrl}/webchat/sessions`, { method: 'POST' });
    if (res.status !== 201) throw new Error(`session: ${res.status}`);
    const body = (await res.json()) as { sessionId: string; secret: string };
    return new WebchatCustomer(baseUrl, body.sessionId, body.secret);
  }

  async say(text: string, clientMessageId: string = crypto.randomUUID()): Promise<{ status: number; body: any }> {
    const res = await fetch(`${this.baseUrl}/webchat/sessions/${this.sessionId}/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${this.secret}`, 'content-type': 'application/json' },
      body: JSON.stringify({ text, clientMessageId }),
    });
    return { status: res.status, body: await res.json() };
  }

  /** Picks an offered choice as the chat page does: `choiceId` plus its label as text. */
  async pick(choiceId: string, label: string, clientMessageId: string = crypto.randomUUID()): Promise<{ status: number; body: any }> {
    const res = await fetch(`${this.baseUrl}/webchat/sessions/${this.sessionId}/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${this.secret}`, 'content-type': 'application/json' },
      body: JSON.stringify({ choiceId, text: label, clientMessageId }),
    });
    return { status: res.status, body: await res.json() };
  }

  async history(after?: string): Promise<{ items: ChatItem[]; cursor: string }> {
    const q = after ? `?after=${encodeURIComponent(after)}` : '';
    const res = await fetch(`${this.baseUrl}/webchat/sessions/${this.sessionId}/messages${q}`, {
      headers: { authorization: `Bearer ${this.secret}` },
    });
    if (res.status !== 200) throw new Error(`history: ${res.status}`);
    return (await res.json()) as { items: ChatItem[]; cursor: string };
  }

  /** Opens the SSE stream; collected messages accumulate in `items`. */
  stream(lastEventId?: string): ChatStream {
    return new ChatStream(`${this.baseUrl}/webchat/sessions/${this.sessionId}/events`, {
      authorization: `Bearer ${this.secret}`,
      ...(lastEventId ? { 'last-event-id': lastEventId } : {}),
    });
  }
}

/** Reads any SSE endpoint, keeping every event's name, id and parsed data. */
export class RawSseReader {
  readonly events: { id?: string; event: string; data: any }[] = [];
  /** As a browser keeps it: the last `id:` seen, including cursor-only blocks without data. */
  lastEventId: string | undefined;
  private readonly controller = new AbortController();

  constructor(url: string, headers: Record<string, string>) {
    void this.read(url, headers).catch(() => undefined);
  }

  private async read(url: string, headers: Record<string, string>) {
    const res = await fetch(url, { headers, signal: this.controller.signal });
    if (!res.ok || !res.body) throw new Error(`sse: ${res.status}`);
    const decoder = new TextDecoder();
    let buf = '';
    for await (const chunk of res.body) {
      buf += decoder.decode(chunk, { stream: true });
      let idx;
      while ((idx = buf.indexOf('\n\n')) >= 0) {
        const block = buf.slice(0, idx);
        buf = buf.slice(idx + 2);
        let id: string | undefined;
        let event = 'message';
        let data = '';
        for (const line of block.split('\n')) {
          if (line.startsWith('id: ')) id = this.lastEventId = line.slice(4);
          else if (line.startsWith('event: ')) event = line.slice(7);
          else if (line.startsWith('data: ')) data += line.slice(6);
        }
        if (data) this.events.push({ id, event, data: JSON.parse(data) });
      }
    }
  }

  close(): void {
    this.controller.abort();
  }
}

/** The web chat's stream: its `message` events are the customer-visible items. */
export class ChatStream extends RawSseReader {
  get items(): ChatItem[] {
    return this.events.filter((e) => e.event === 'message').map((e) => e.data as ChatItem);
  }
}
