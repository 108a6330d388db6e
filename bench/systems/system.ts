/** What the benchmark runs: build from known entries, then classify one question at a time. */
export interface Classification {
  /** The best entry, or null when the system has none to offer. */
  intent: string | null;
  confidence: number;
}

export interface Classifier {
  classify(text: string): Classification | Promise<Classification>;
}

export interface System {
  name: string;
  build(entries: Map<string, string[]>, locale: string): Promise<Classifier>;
}
