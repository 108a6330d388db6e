/** The text of docs/faq-quality.md around the measured tables. */
export function qualityDoc(s: Record<'full' | 'hint3' | 'fewshot' | 'speed', string>, timing: string, date: string): string {
  return `# FAQ engine quality\n\n${s.full}\n\n${s.hint3}\n\n${s.fewshot}\n\n${s.speed}\n\n${timing}\n${date}\n`;
}
