/** The text of docs/faq-quality.md around the measured table. */
export function qualityDoc(table: string, note: string, date: string): string {
  return `# FAQ engine quality

Made by \`npm run bench:faq\` (${date}).

${table}

${note}
`;
}
